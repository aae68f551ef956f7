namespace SystemMail.AspNetCore;

/// <summary>Settings of the "Mail server" page's endpoints, mapped with <c>MapSystemMailAdmin</c>.</summary>
public sealed class SystemMailAdminOptions
{
    /// <summary>
    /// Gets or sets the host's "Mail server" page, where "Generate access token" comes back to after the provider's
    /// consent, with <c>?oauth2=generated</c>, or <c>?oauth2=failed&amp;message=…</c>. A local path (under the
    /// request's path base). Defaults to <c>/</c>.
    /// </summary>
    public string SettingsPagePath { get; set; } = "/";

    /// <summary>
    /// Gets or sets the site's public address (scheme, host and any path base), such as
    /// <c>https://iot.example.com/</c>: the OAuth2 redirect URI shown on the page and sent to the provider is this plus
    /// the admin endpoints' prefix and <c>/oauth2/callback</c>, unless <c>SystemMail:OAuth2:RedirectUri</c> is
    /// configured. Never taken from a request (its <c>Host</c> header is the client's to choose); without either, the
    /// page has no redirect URI and "Generate access token" asks for one. Defaults to <see langword="null"/>.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>
    /// Gets or sets how often the saved settings are read from the store again, so that settings saved on another
    /// instance of a farm reach this one's mail. <see langword="null"/> (the default) reads them only at start-up and
    /// when this instance's settings page loads or saves them: enough for a single instance.
    /// </summary>
    public TimeSpan? SettingsReloadInterval { get; set; }

    /// <summary>
    /// Gets how the packaged page (<c>MapSystemMailAdminPage</c>) fits into the host's look: its title, logo and an
    /// extra stylesheet.
    /// </summary>
    public SystemMailAdminPageOptions Page { get; } = new();
}
