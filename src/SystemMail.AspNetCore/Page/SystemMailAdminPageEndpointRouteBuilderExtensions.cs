using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SystemMail.AspNetCore;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the packaged "Mail server" settings page.</summary>
public static class SystemMailAdminPageEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the whole "Mail server" page at <paramref name="pattern"/>, for the administrators that
    /// <paramref name="authorizationPolicy"/> admits (there is no anonymous default): the page, its embedded script and
    /// stylesheet under <c>{pattern}/assets/</c>, and the JSON endpoints of <c>MapSystemMailAdmin</c> under
    /// <c>{pattern}/api</c>, whose OAuth2 callback returns to this page.
    /// </summary>
    /// <param name="endpoints">The application's endpoint builder: plain endpoints, so an MVC, Razor Pages or Blazor host alike.</param>
    /// <param name="pattern">The page's path, without route parameters, such as <c>/admin/mail</c>.</param>
    /// <param name="authorizationPolicy">The name of the host's authorization policy for mail administrators.</param>
    /// <returns>A builder for further conventions on the page and its endpoints (rate limiting and so on).</returns>
    /// <remarks>
    /// Register the services first with <c>services.AddSystemMail(...).AddAdmin()</c>; the page's title, logo and an
    /// extra stylesheet are <see cref="SystemMailAdminOptions.Page"/>. The page follows
    /// <see cref="System.Globalization.CultureInfo.CurrentUICulture"/> (use request localization): Simplified Chinese
    /// for <c>zh-CN</c>, <c>zh-Hans</c> and the like, else English. It is sent with a Content-Security-Policy that admits
    /// only its own script and stylesheet (and the origins of the logo and stylesheet set in the options). A signed-out
    /// browser opening the page is sent to the host's sign-in page as usual; the JSON endpoints answer 401/403.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="pattern"/> has route parameters, or <paramref name="authorizationPolicy"/> is empty.</exception>
    /// <exception cref="InvalidOperationException">The services were not registered with <c>AddAdmin()</c>.</exception>
    public static IEndpointConventionBuilder MapSystemMailAdminPage(
        this IEndpointRouteBuilder endpoints,
        [StringSyntax("Route")] string pattern,
        string authorizationPolicy)
    {
        var (group, page) = SystemMailAdminEndpointRouteBuilderExtensions.MapGroup(endpoints, pattern, authorizationPolicy);
        AdminPageEndpoints.Map(group, page, SystemMailAdminEndpointRouteBuilderExtensions.HasOutbox(endpoints));
        var api = group.MapGroup(AdminPageEndpoints.ApiPath);
        SystemMailAdminEndpointRouteBuilderExtensions.MapApi(endpoints, api, page.Add(AdminPageEndpoints.ApiPath), page.HasValue ? page : new PathString("/"));
        return group;
    }
}
