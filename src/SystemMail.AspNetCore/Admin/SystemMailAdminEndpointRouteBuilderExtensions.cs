using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using SystemMail.AspNetCore;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the endpoints of a "Mail server" settings page.</summary>
public static class SystemMailAdminEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps what a "Mail server" settings page needs, under <paramref name="pattern"/>, for the administrators that
    /// <paramref name="authorizationPolicy"/> admits (there is no anonymous default):
    /// <list type="table">
    /// <item><term><c>GET settings</c></term><description>The settings; secrets only as <c>passwordSet</c>, <c>clientSecretSet</c>.</description></item>
    /// <item><term><c>PUT settings</c></term><description>Saves them: a blank secret keeps the stored one only for an unchanged destination (provider, server, port, security, proxy, user name, OAuth2 client), else it must be entered again; a changed destination or client secret deletes the OAuth2 tokens (<c>tokensDiscarded</c>). 400 with the errors by field, 409 when someone else saved first.</description></item>
    /// <item><term><c>GET providers</c></term><description>The provider templates, for the drop-down and the locked fields.</description></item>
    /// <item><term><c>POST test-connection</c>, <c>POST test-mail</c></term><description>An <see cref="SystemMail.SmtpDiagnosticReport"/> for the pop-up: each stage, the failing one, the server's reply, the hint and the redacted transcript. With <c>settings</c> in the body, the form's unsaved values are tested.</description></item>
    /// <item><term><c>GET oauth2/redirect-uri</c></term><description>The redirect URI to copy into the provider's console.</description></item>
    /// <item><term><c>GET oauth2/authorize</c></term><description>"Generate access token": redirects the browser to the provider's consent page.</description></item>
    /// <item><term><c>GET oauth2/callback</c></term><description>The redirect URI: stores the tokens and returns to <see cref="SystemMailAdminOptions.SettingsPagePath"/>.</description></item>
    /// <item><term><c>GET oauth2/status</c>, <c>DELETE oauth2/tokens</c></term><description>The token status ("Generated"), and clearing the tokens.</description></item>
    /// <item><term><c>GET templates</c></term><description>Every mail kind × culture, and whether a template is saved for it.</description></item>
    /// <item><term><c>GET</c>, <c>PUT</c>, <c>DELETE templates/{kind}/{culture}</c></term><description>The built-in and the saved template; save one (with the version it was edited from: 409 when someone changed it meanwhile, 400 with line and column for each problem); reset to the built-in one.</description></item>
    /// <item><term><c>POST templates/{kind}/{culture}/preview</c>, <c>POST templates/{kind}/{culture}/test</c></term><description>The template (saved or unsaved) rendered with sample values, for a sandboxed frame; or sent to an address through the mailer.</description></item>
    /// <item><term><c>GET outbox?status=DeadLettered&amp;limit=100</c>, <c>GET outbox/{id}</c>, <c>POST outbox/{id}/retry</c>, <c>POST outbox/{id}/cancel</c></term><description>Only when the outbox is registered (<c>AddOutbox</c>): the queued mails by status, one mail's status, retrying a dead-lettered mail and cancelling one (204; 404 for no such mail; 409 when its status does not allow it). The POSTs take an empty JSON body.</description></item>
    /// </list>
    /// </summary>
    /// <param name="endpoints">The application's endpoint builder.</param>
    /// <param name="pattern">The path prefix, without route parameters, such as <c>/api/admin/mail</c>.</param>
    /// <param name="authorizationPolicy">The name of the host's authorization policy for mail administrators.</param>
    /// <returns>A builder for further conventions on every endpoint (rate limiting, CORS and so on).</returns>
    /// <remarks>
    /// Register the services first with <c>services.AddSystemMail(...).AddAdmin()</c>. The OAuth2 <c>state</c> is bound
    /// to the signed-in administrator (the <c>NameIdentifier</c> claim, else the name): the callback is refused to anyone
    /// else. JSON endpoints answer 401/403 rather than redirecting to a sign-in page; bodies must be JSON, so an HTML
    /// form on another site cannot post to them.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="pattern"/> has route parameters, or <paramref name="authorizationPolicy"/> is empty.</exception>
    /// <exception cref="InvalidOperationException">The services were not registered with <c>AddAdmin()</c>.</exception>
    public static IEndpointConventionBuilder MapSystemMailAdmin(
        this IEndpointRouteBuilder endpoints,
        [StringSyntax("Route")] string pattern,
        string authorizationPolicy)
    {
        var (group, prefix) = MapGroup(endpoints, pattern, authorizationPolicy);
        MapApi(endpoints, group, prefix);
        return group;
    }

    /// <summary>Checks the arguments and the services, and maps the group every endpoint of the page lives in.</summary>
    internal static (RouteGroupBuilder Group, PathString Prefix) MapGroup(IEndpointRouteBuilder endpoints, string pattern, string authorizationPolicy)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        ArgumentException.ThrowIfNullOrWhiteSpace(authorizationPolicy);

        var route = RoutePatternFactory.Parse(pattern);
        if (route.Parameters.Count > 0)
        {
            throw new ArgumentException($"The pattern '{pattern}' must be a plain path, without route parameters.", nameof(pattern));
        }

        if (endpoints.ServiceProvider.GetService<SystemMailAdminService>() is null)
        {
            throw new InvalidOperationException(
                "SystemMail's admin services are not registered: call services.AddSystemMail(...).AddAdmin() first.");
        }

        var prefix = "/" + pattern.Trim('/');
        var group = endpoints.MapGroup(prefix).RequireAuthorization(authorizationPolicy);
        return (group, new PathString(prefix == "/" ? string.Empty : prefix));
    }

    /// <summary>
    /// Maps the JSON endpoints into <paramref name="group"/> at <paramref name="prefix"/>: the settings, the templates,
    /// and the outbox's when the outbox is registered (<c>AddOutbox</c>); <paramref name="page"/>, when the package's
    /// page is mapped, is where the OAuth2 callback returns.
    /// </summary>
    internal static void MapApi(IEndpointRouteBuilder endpoints, RouteGroupBuilder group, PathString prefix, PathString? page = null)
    {
        AdminEndpoints.Map(group, prefix, page);
        TemplateEndpoints.Map(group);
        if (HasOutbox(endpoints))
        {
            OutboxEndpoints.Map(group);
        }
    }

    /// <summary>Whether the outbox is registered (<c>AddOutbox</c>), so its endpoints are mapped.</summary>
    internal static bool HasOutbox(IEndpointRouteBuilder endpoints) =>
        endpoints.ServiceProvider.GetService<SystemMail.ISystemMailOutbox>() is not null;
}
