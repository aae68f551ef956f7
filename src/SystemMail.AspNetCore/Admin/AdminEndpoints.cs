using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SystemMail.AspNetCore;

/// <summary>The handlers behind <c>MapSystemMailAdmin</c>.</summary>
internal static class AdminEndpoints
{
    private const string CallbackPath = "/oauth2/callback";

    /// <summary>Maps the JSON endpoints; <paramref name="page"/>, when the package's page is mapped, is where the OAuth2 callback returns.</summary>
    public static void Map(RouteGroupBuilder group, PathString prefix, PathString? page = null)
    {
        // The callback under the configured public address, never one made from the request (its Host header is the
        // client's to choose: a redirect URI with an attacker's host would send the authorization code there).
        // The callback's path (path base, prefix, /oauth2/callback), for the page to append to the public address it shows.
        string CallbackPathOf(HttpRequest request) => string.Concat(request.PathBase.ToUriComponent(), prefix.ToUriComponent(), CallbackPath);

        Uri? Callback(HttpRequest request)
        {
            var publicBase = request.HttpContext.RequestServices.GetRequiredService<IOptions<SystemMailAdminOptions>>().Value.PublicBaseUrl;
            return publicBase is { IsAbsoluteUri: true }
                ? new Uri(string.Concat(publicBase.GetLeftPart(UriPartial.Path).TrimEnd('/'), prefix.ToUriComponent(), CallbackPath))
                : null;
        }

        group.MapGet("/settings", async Task<IResult> (SystemMailAdminService admin, HttpContext context, CancellationToken ct) =>
            Json(await admin.GetAsync(CallbackPathOf(context.Request), ct).ConfigureAwait(false), AdminJsonContext.Default.SettingsDocument))
            .DisableCookieRedirect();

        group.MapPut("/settings", async Task<IResult> (SystemMailAdminService admin, HttpContext context, CancellationToken ct) =>
        {
            var (input, problem) = await ReadAsync(context.Request, AdminJsonContext.Default.SettingsInput, ct).ConfigureAwait(false);
            if (input is null)
            {
                return problem!;
            }

            var result = await admin.SaveAsync(input, Callback(context.Request), CallbackPathOf(context.Request), CultureInfo.CurrentUICulture, AuditName(context.User), ct).ConfigureAwait(false);
            if (result.IsConflict)
            {
                return TypedResults.Problem(
                    title: "The settings were changed meanwhile.",
                    detail: "Someone else saved the mail settings after you loaded them. Reload the page and save again.",
                    statusCode: StatusCodes.Status409Conflict);
            }

            return result.Errors is { } errors
                ? TypedResults.ValidationProblem(errors, title: "The mail settings are not valid.")
                : Json(result.Document!, AdminJsonContext.Default.SettingsDocument);
        }).DisableCookieRedirect();

        group.MapGet("/providers", (SystemMailAdminService admin) =>
            Json(Providers(admin.Catalog), AdminJsonContext.Default.IReadOnlyListProviderDocument))
            .DisableCookieRedirect();

        group.MapPost("/test-connection", async Task<IResult> (SystemMailAdminService admin, HttpContext context, CancellationToken ct) =>
        {
            // JSON only, even without a body: a cross-site form can post an empty urlencoded body, never application/json.
            if (RefuseUnlessJson(context.Request) is { } notJson)
            {
                return notJson;
            }

            TestConnectionInput? input = new();
            if (context.Request.ContentLength is not 0)
            {
                (input, var problem) = await ReadAsync(context.Request, AdminJsonContext.Default.TestConnectionInput, ct).ConfigureAwait(false);
                if (input is null)
                {
                    return problem!;
                }
            }

            var report = await admin.TestConnectionAsync(input.Settings, Callback(context.Request), CultureInfo.CurrentUICulture, AuditName(context.User), ct).ConfigureAwait(false);
            return Json(report, AdminJsonContext.Default.SmtpDiagnosticReport);
        }).DisableCookieRedirect();

        group.MapPost("/test-mail", async Task<IResult> (SystemMailAdminService admin, HttpContext context, CancellationToken ct) =>
        {
            var (input, problem) = await ReadAsync(context.Request, AdminJsonContext.Default.TestMailInput, ct).ConfigureAwait(false);
            if (input is null)
            {
                return problem!;
            }

            if (TestRecipient(context.User, input.To) is not { } recipient)
            {
                return RecipientProblem(RecipientRequired);
            }

            try
            {
                var report = await admin.SendTestMailAsync(input.Settings, recipient, Callback(context.Request), CultureInfo.CurrentUICulture, AuditName(context.User), ct).ConfigureAwait(false);
                return Json(report, AdminJsonContext.Default.SmtpDiagnosticReport);
            }
            catch (ArgumentException ex)
            {
                return RecipientProblem(ex.Message);
            }
            catch (SystemMailException ex) when (ex.Kind == SystemMailErrorKind.InvalidRecipient)
            {
                return RecipientProblem(ex.GetHint(CultureInfo.CurrentUICulture) ?? ex.Message);
            }
        }).DisableCookieRedirect();

        group.MapGet("/oauth2/redirect-uri", (SystemMailAdminService admin, HttpContext context) =>
            Json(admin.RedirectUri(Callback(context.Request)) is { } redirectUri
                ? new RedirectUriDocument { RedirectUri = redirectUri }
                : new RedirectUriDocument { Problem = SystemMailAdminService.MissingRedirectUri.Text(CultureInfo.CurrentUICulture) }, AdminJsonContext.Default.RedirectUriDocument))
            .DisableCookieRedirect();

        group.MapGet("/oauth2/status", async Task<IResult> (IOAuthTokenService tokens, CancellationToken ct) =>
        {
            try
            {
                return Json(ToDocument(await tokens.GetStatusAsync(ct).ConfigureAwait(false)), AdminJsonContext.Default.TokenStatusDocument);
            }
            catch (SystemMailException ex)
            {
                return Json(new TokenStatusDocument { State = OAuthTokenState.NotGenerated, Reason = ex.Message }, AdminJsonContext.Default.TokenStatusDocument);
            }
        }).DisableCookieRedirect();

        group.MapDelete("/oauth2/tokens", async Task<IResult> (SystemMailAdminService admin, HttpContext context, CancellationToken ct) =>
        {
            await admin.ClearTokensAsync(AuditName(context.User), ct).ConfigureAwait(false);
            return TypedResults.NoContent();
        }).DisableCookieRedirect();

        // Browser navigations: a signed-out administrator is sent to the sign-in page as usual.
        group.MapGet("/oauth2/authorize", async Task<IResult> (IOAuthTokenService tokens, IOptions<SystemMailAdminOptions> options, HttpContext context, ILogger<SystemMailAdminService> logger, CancellationToken ct) =>
        {
            if (Administrator(context.User) is not { } administrator)
            {
                return Results.Forbid();
            }

            try
            {
                var request = await tokens.CreateAuthorizationUrlAsync(administrator, ct).ConfigureAwait(false);
                var name = AuditName(context.User);
                Log.AuditTokenGenerationStarted(logger, name);
                return Results.Redirect(request.Url.AbsoluteUri);
            }
            catch (SystemMailException ex)
            {
                Log.AuthorizationFailed(logger, ex.Kind, ex.Message);
                return Results.Redirect(BackToPage(context, page?.Value ?? options.Value.SettingsPagePath, ex));
            }
        });

        group.MapGet(CallbackPath, async Task<IResult> (IOAuthTokenService tokens, IOptions<SystemMailAdminOptions> options, HttpContext context, ILogger<SystemMailAdminService> logger, CancellationToken ct) =>
        {
            if (Administrator(context.User) is not { } administrator)
            {
                return Results.Forbid();
            }

            var query = context.Request.Query;
            try
            {
                await tokens.CompleteAuthorizationAsync(query["code"], query["state"], query["error"], query["error_description"], administrator, ct).ConfigureAwait(false);
                var name = AuditName(context.User);
                Log.AuditTokensGenerated(logger, name);
                return Results.Redirect(BackToPage(context, page?.Value ?? options.Value.SettingsPagePath, null));
            }
            catch (SystemMailException ex)
            {
                Log.AuthorizationFailed(logger, ex.Kind, ex.Message);
                return Results.Redirect(BackToPage(context, page?.Value ?? options.Value.SettingsPagePath, ex));
            }
        });
    }

    private static JsonHttpResult<T> Json<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo) =>
        TypedResults.Json(value, typeInfo);

    /// <summary>
    /// The admin endpoints' one rule against cross-site forms, for every body they read and the POSTs without one: the
    /// request is declared JSON, which an HTML form on another site cannot do (it posts urlencoded, multipart or plain text).
    /// </summary>
    /// <returns>The 415 answer when the request is not JSON; else <see langword="null"/>.</returns>
    internal static ProblemHttpResult? RefuseUnlessJson(HttpRequest request) =>
        request.HasJsonContentType()
            ? null
            : TypedResults.Problem(title: "The body must be JSON (Content-Type: application/json).", statusCode: StatusCodes.Status415UnsupportedMediaType);

    /// <summary>The problem of a test mail without an address to go to.</summary>
    internal const string RecipientRequired = "is required: the address the test mail goes to.";

    /// <summary>The address a test mail goes to: the one entered, else the administrator's own (the <c>Email</c> claim).</summary>
    /// <returns>The address, or <see langword="null"/> when there is neither.</returns>
    internal static string? TestRecipient(ClaimsPrincipal user, string? to)
    {
        var recipient = string.IsNullOrWhiteSpace(to) ? user.FindFirstValue(ClaimTypes.Email) : to.Trim();
        return string.IsNullOrWhiteSpace(recipient) ? null : recipient;
    }

    /// <summary>A 400 answer naming the test mail's <c>to</c> field.</summary>
    internal static ValidationProblem RecipientProblem(string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["to"] = [message] });

    /// <summary>Reads a JSON body with SystemMail's own contract, whatever JSON options the host set.</summary>
    internal static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        if (RefuseUnlessJson(request) is { } notJson)
        {
            return (null, notJson);
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync(request.Body, typeInfo, cancellationToken).ConfigureAwait(false);
            return value is null
                ? (null, TypedResults.Problem(title: "The body is empty.", statusCode: StatusCodes.Status400BadRequest))
                : (value, null);
        }
        catch (JsonException ex)
        {
            return (null, TypedResults.Problem(title: "The body is not valid JSON for this endpoint.", detail: ex.Message, statusCode: StatusCodes.Status400BadRequest));
        }
    }

    private static string? Administrator(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true
            ? user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.Identity.Name
            : null;

    /// <summary>The administrator as the audit log and the token status name them: the user name, else the user id.</summary>
    private static string AuditName(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true
            ? user.Identity.Name ?? user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "an administrator"
            : "anonymous";

    private static string BackToPage(HttpContext context, string? page, SystemMailException? failure)
    {
        if (string.IsNullOrEmpty(page) || page[0] != '/' || page.StartsWith("//", StringComparison.Ordinal) || page.StartsWith("/\\", StringComparison.Ordinal))
        {
            page = "/"; // never an open redirect
        }

        var target = context.Request.PathBase.Add(new PathString(page.Split('?', 2)[0])).ToUriComponent();
        var query = failure is null
            ? "oauth2=generated"
            : "oauth2=failed&message=" + Uri.EscapeDataString(failure.Message); // the message ends with the hint
        return $"{target}?{query}";
    }

    private static TokenStatusDocument ToDocument(OAuthTokenStatus status) => new()
    {
        State = status.State,
        GeneratedAt = status.GeneratedAt,
        AccessTokenExpiresAt = status.AccessTokenExpiresAt,
        RefreshTokenExpiresAt = status.RefreshTokenExpiresAt,
        Reason = status.Reason,
        ClearedBy = status.ClearedBy,
        ClearedAt = status.ClearedAt,
    };

    private static ProviderDocument[] Providers(ISmtpProviderCatalog catalog) =>
    [
        .. catalog.Templates.Select(t => new ProviderDocument
        {
            Id = t.Id,
            DisplayName = t.DisplayName,
            AllowsCustomConnection = t.AllowsCustomConnection,
            Host = t.Host,
            Port = t.Port,
            Security = t.Security,
            MinimumTlsVersion = t.MinimumTlsVersion.ToString(),
            SupportedAuthentication = t.SupportedAuthentication,
            FixedUsername = t.FixedUsername,
            Transport = t.Transport,
            OAuth2 = t.OAuth2 is { } o ? new ProviderOAuthDocument
            {
                AuthorizationEndpoint = o.AuthorizationEndpoint,
                TokenEndpoint = o.TokenEndpoint,
                Scopes = o.Scopes,
                RequiresTenant = o.RequiresTenant,
            } : null,
            HelpLink = t.HelpLink,
        }),
    ];
}
