using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SystemMail.AspNetCore;

/// <summary>
/// The document the page's sandboxed preview frame shows: the template's HTML rendered with sample values, sent as a
/// document of its own with its own policy (the mail's inline styles apply, nothing runs, nothing loads). The page
/// posts the form's parts into the frame (a frame's <c>srcdoc</c> would inherit the page's strict policy). It changes
/// nothing, answers only requests from the page's own origin and may be framed only by it.
/// </summary>
internal static class PreviewFrameEndpoint
{
    public const string Path = "/preview-frame";

    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost(Path + "/{kind}/{culture}", async Task<IResult> (string kind, string culture, HttpContext context, SystemMailTemplateService templates, CancellationToken ct) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'";
            headers.XContentTypeOptions = "nosniff";
            headers.CacheControl = "no-store";
            headers["Referrer-Policy"] = "no-referrer";

            // A form from another site could post here: such a request is refused (browsers name the requesting site).
            var site = context.Request.Headers["Sec-Fetch-Site"].ToString();
            if (site.Length > 0 && site != "same-origin")
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }

            if (TemplateEndpoints.Route(kind, culture) is not { } target || !context.Request.HasFormContentType)
            {
                return Results.NotFound();
            }

            var form = await context.Request.ReadFormAsync(ct).ConfigureAwait(false);
            var input = new TemplateTrialInput { Subject = form["subject"], Html = form["html"], Text = form["text"] };
            var outcome = await templates.PreviewAsync(target.Kind, target.Culture, input, ct).ConfigureAwait(false);

            // The page shows the problems at the fields (from the JSON preview); the frame then stays blank.
            return Results.Content(outcome.Value?.Html ?? string.Empty, "text/html; charset=utf-8");
        }).DisableAntiforgery();
    }
}
