using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace SystemMail.AspNetCore.Tests.Hosts;

/// <summary>
/// A Razor Pages host: its pages (in <c>Hosts/RazorPages</c>), among them <c>/admin</c>, whose folder the page's
/// <c>/admin/mail</c> shares, and its static files.
/// </summary>
public sealed class RazorPagesHost : HostFramework
{
    public override string Name => "razor-pages";

    public override (string Path, string Text) OwnRoute => ("/admin", "Razor Pages administration of Acme IoT");

    public override void AddServices(IServiceCollection services) =>
        services.AddRazorPages(o => o.RootDirectory = "/Hosts/RazorPages");

    public override void Configure(WebApplication app, Action<IEndpointRouteBuilder> mapMail)
    {
        app.UseStaticFiles();
        mapMail(app);
        app.MapRazorPages();
    }
}
