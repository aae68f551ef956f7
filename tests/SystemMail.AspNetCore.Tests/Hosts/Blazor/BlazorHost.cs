using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace SystemMail.AspNetCore.Tests.Hosts;

/// <summary>
/// A Blazor Web App host: interactive server components, its root component <see cref="Blazor.App"/> with the routed
/// components of <c>Hosts/Blazor</c>, and the antiforgery middleware its forms need.
/// </summary>
public sealed class BlazorHost : HostFramework
{
    public override string Name => "blazor";

    public override (string Path, string Text) OwnRoute => ("/", "Blazor home of Acme IoT");

    public override void AddServices(IServiceCollection services) =>
        services.AddRazorComponents().AddInteractiveServerComponents();

    public override void Configure(WebApplication app, Action<IEndpointRouteBuilder> mapMail)
    {
        app.UseAntiforgery();
        app.MapRazorComponents<Blazor.App>().AddInteractiveServerRenderMode();
        mapMail(app);
    }
}
