using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace SystemMail.AspNetCore;

/// <summary>
/// Fills the page's HTML template for one request: its language, the host's title, logo and stylesheet, the texts,
/// whether the outbox section shows, and the Content-Security-Policy that admits only this page's own script and
/// stylesheet (and the host's logo and stylesheet origins). Every value is HTML-encoded; the texts for the script go in a JSON data block, which is never run.
/// </summary>
internal static partial class AdminPageRenderer
{
    // Encodes what HTML needs (<, >, &, quotes) and keeps every language's letters readable in the source.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    [GeneratedRegex(@"\{\{(!?)([A-Za-z0-9_.\-]+)\}\}")]
    private static partial Regex Placeholder();

    public static (string Html, string ContentSecurityPolicy) Render(HttpContext context, SystemMailAdminPageOptions options, PathString page, PathString api, bool outbox)
    {
        var culture = CultureInfo.CurrentUICulture;
        var language = PageStrings.LanguageOf(culture);
        var texts = PageStrings.For(language);
        var pathBase = context.Request.PathBase;
        var assets = pathBase.Add(page).Add("/assets").ToUriComponent();
        var title = string.IsNullOrWhiteSpace(options.Title) ? texts["title"] : options.Title.Trim();
        var logo = Resolve(options.LogoUrl, pathBase);
        var stylesheet = Resolve(options.StylesheetUrl, pathBase);
        var encoder = Encoder;

        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["lang"] = PageStrings.HtmlLanguage(culture, language),

            // The language of the texts (zh-Hans for zh-CN): the templates section opens the built-in template in it.
            ["language"] = language,
            ["title"] = title,
            ["assets"] = assets,
            ["api"] = pathBase.Add(api).ToUriComponent(),
            ["email"] = context.User.FindFirstValue(ClaimTypes.Email) ?? string.Empty,

            // Whether the outbox's endpoints are mapped: without them its section stays hidden, asking nothing (a 404 is a console error).
            ["outbox"] = outbox ? "true" : "false",
        };
        var raw = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            // The default encoder writes <, > and & as \u escapes: the block cannot be closed from inside.
            ["strings"] = JsonSerializer.Serialize(texts, PageJsonContext.Default.IReadOnlyDictionaryStringString),
            ["logo"] = logo is null ? string.Empty : $"<img src=\"{encoder.Encode(logo.Value.Url)}\" alt=\"\">",
            ["stylesheet"] = stylesheet is null ? string.Empty : $"<link rel=\"stylesheet\" href=\"{encoder.Encode(stylesheet.Value.Url)}\">",
        };

        var html = Placeholder().Replace(PageAssets.Template, match =>
        {
            var name = match.Groups[2].Value;
            if (match.Groups[1].Value == "!")
            {
                return raw[name];
            }

            return encoder.Encode(
                name.StartsWith("t.", StringComparison.Ordinal) ? texts[name[2..]]
                : name.StartsWith("v.", StringComparison.Ordinal) ? PageAssets.Served[name[2..]].Version
                : values[name]);
        });

        var csp = string.Join("; ",
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'" + Origin(stylesheet),
            "img-src 'self' data:" + Origin(logo),
            "connect-src 'self'",
            "frame-src 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'");
        return (html, csp);
    }

    /// <summary>A local path (under the path base) or an absolute http(s) URL; anything else is refused at start-up by the options' validation.</summary>
    private static (string Url, string? Origin)? Resolve(string? url, PathString pathBase)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }

        url = url.Trim();
        if (IsLocalPath(url))
        {
            return (pathBase.ToUriComponent() + url, null);
        }

        return Uri.TryCreate(url, UriKind.Absolute, out var absolute) && (absolute.Scheme == Uri.UriSchemeHttps || absolute.Scheme == Uri.UriSchemeHttp)
            ? (absolute.AbsoluteUri, absolute.GetLeftPart(UriPartial.Authority))
            : null;
    }

    public static bool IsLocalPath(string url) =>
        url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);

    public static bool IsAcceptedUrl(string? url) =>
        string.IsNullOrWhiteSpace(url) || IsLocalPath(url.Trim())
        || (Uri.TryCreate(url.Trim(), UriKind.Absolute, out var absolute) && (absolute.Scheme == Uri.UriSchemeHttps || absolute.Scheme == Uri.UriSchemeHttp));

    private static string Origin((string Url, string? Origin)? resolved) =>
        resolved?.Origin is { } origin ? " " + origin : string.Empty;
}
