namespace SystemMail.AspNetCore;

/// <summary>How the packaged "Mail server" page, mapped with <c>MapSystemMailAdminPage</c>, fits into the host's look.</summary>
public sealed class SystemMailAdminPageOptions
{
    /// <summary>
    /// Gets or sets the page's title and heading. <see langword="null"/> (the default) is "Mail server" in the page's
    /// language.
    /// </summary>
    public string? Title { get; set; }

    /// <summary>
    /// Gets or sets the URL of a logo shown beside the title: a local path (<c>/img/logo.svg</c>, under the request's path
    /// base) or an absolute <c>https</c> URL, whose origin the page's Content-Security-Policy then admits for images.
    /// </summary>
    public string? LogoUrl { get; set; }

    /// <summary>
    /// Gets or sets the URL of a stylesheet loaded after the page's own, to restyle it (its <c>--sm-*</c> custom
    /// properties, or any rule): a local path or an absolute <c>https</c> URL, admitted the same way.
    /// </summary>
    public string? StylesheetUrl { get; set; }
}
