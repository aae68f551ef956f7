using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace SystemMail.AspNetCore;

/// <summary>The handlers behind <c>MapSystemMailAdminPage</c>: the page itself and its embedded script and stylesheet.</summary>
internal static class AdminPageEndpoints
{
    public const string ApiPath = "/api";

    public static void Map(RouteGroupBuilder group, PathString page, bool outbox)
    {
        group.MapGet(string.Empty, (HttpContext context, IOptions<SystemMailAdminOptions> options) =>
        {
            var (html, csp) = AdminPageRenderer.Render(context, options.Value.Page, page, page.Add(ApiPath), outbox);
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = csp;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers.CacheControl = "no-store";
            headers["Referrer-Policy"] = "same-origin";
            return Results.Content(html, "text/html; charset=utf-8");
        });

        PreviewFrameEndpoint.Map(group);

        group.MapGet("/assets/{name}", (string name, HttpContext context) =>
        {
            if (!PageAssets.Served.TryGetValue(name, out var asset))
            {
                return Results.NotFound();
            }

            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.ETag = asset.ETag;

            // The page asks for ?v=<hash of the content>: that URL never changes content, so it may be kept.
            headers.CacheControl = context.Request.Query["v"] == asset.Version ? "private, max-age=31536000, immutable" : "no-cache";
            if (context.Request.Headers.IfNoneMatch.Contains(asset.ETag))
            {
                return Results.StatusCode(StatusCodes.Status304NotModified);
            }

            return Results.Bytes(asset.Content, asset.ContentType);
        });
    }
}
