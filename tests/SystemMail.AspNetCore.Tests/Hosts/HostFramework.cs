using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace SystemMail.AspNetCore.Tests.Hosts;

/// <summary>
/// What an <see cref="Infrastructure.AdminHost"/> is besides the mail page: an MVC, Razor Pages or Blazor application
/// with its own services, middleware and routes, each the few lines of its <c>Program.cs</c>. The page must work in
/// each alike, and each host's own route must still answer.
/// </summary>
public abstract class HostFramework
{
    /// <summary>Gets the host's name in test names: <c>mvc</c>, <c>razor-pages</c> or <c>blazor</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Gets a path of the host's own, and a text its answer contains.</summary>
    public abstract (string Path, string Text) OwnRoute { get; }

    /// <summary>Adds the framework's services, as the host's <c>Program.cs</c> does.</summary>
    public abstract void AddServices(IServiceCollection services);

    /// <summary>
    /// Adds the framework's middleware and routes after authentication and authorization, calling
    /// <paramref name="mapMail"/> (<c>MapSystemMailAdmin</c> and <c>MapSystemMailAdminPage</c>) where such a host would.
    /// </summary>
    public abstract void Configure(WebApplication app, Action<IEndpointRouteBuilder> mapMail);

    /// <summary>The host of <paramref name="name"/>.</summary>
    public static HostFramework Named(string name) => name switch
    {
        "mvc" => new MvcHost(),
        "razor-pages" => new RazorPagesHost(),
        "blazor" => new BlazorHost(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No such host."),
    };

    public override string ToString() => Name;
}
