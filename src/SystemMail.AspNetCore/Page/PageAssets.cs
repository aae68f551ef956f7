using System.Reflection;
using System.Security.Cryptography;

namespace SystemMail.AspNetCore;

/// <summary>The page's files, embedded in this assembly, read once: the HTML template, the script, the stylesheet and the strings.</summary>
internal static class PageAssets
{
    private const string Prefix = "SystemMail.AspNetCore.Page.";

    /// <summary>The files served under <c>assets/</c>, by name: content, media type and a version (a hash of the content).</summary>
    public static IReadOnlyDictionary<string, PageAsset> Served { get; } = new Dictionary<string, PageAsset>(StringComparer.Ordinal)
    {
        ["common.js"] = Load("common.js", "text/javascript; charset=utf-8"),
        ["form.js"] = Load("form.js", "text/javascript; charset=utf-8"),
        ["test-dialog.js"] = Load("test-dialog.js", "text/javascript; charset=utf-8"),
        ["templates.js"] = Load("templates.js", "text/javascript; charset=utf-8"),
        ["outbox.js"] = Load("outbox.js", "text/javascript; charset=utf-8"),
        ["page.css"] = Load("page.css", "text/css; charset=utf-8"),
    };

    /// <summary>The HTML template, with <c>{{name}}</c> placeholders: <c>{{t.text}}</c>, <c>{{v.file}}</c> (its version), <c>{{!raw}}</c> (see <see cref="AdminPageRenderer"/>).</summary>
    public static string Template { get; } = System.Text.Encoding.UTF8.GetString(Read("page.html"));

    public static byte[] Read(string name)
    {
        using var stream = typeof(PageAssets).Assembly.GetManifestResourceStream(Prefix + name)
            ?? throw new InvalidOperationException($"The embedded resource '{Prefix + name}' is missing from {typeof(PageAssets).Assembly.GetName().Name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static PageAsset Load(string name, string contentType)
    {
        var content = Read(name);
        var version = Convert.ToHexStringLower(SHA256.HashData(content))[..16];
        return new PageAsset(content, contentType, version);
    }
}

/// <summary>One embedded file of the page.</summary>
internal sealed record PageAsset(byte[] Content, string ContentType, string Version)
{
    public string ETag { get; } = "\"" + Version + "\"";
}
