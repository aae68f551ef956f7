using System.Security.Authentication;

namespace SystemMail.AspNetCore;

/// <summary>
/// The fields of the "Mail server" page as saved: every one of them replaces the configuration's value, null
/// included (a template provider clears a custom host), except <see cref="RedirectUri"/>, which only overrides when set.
/// </summary>
internal sealed class StoredMailSettings
{
    public string? From { get; set; }

    public string Provider { get; set; } = SmtpProviderTemplates.CustomId;

    public string? Host { get; set; }

    public int? Port { get; set; }

    public SmtpSecurity? Security { get; set; }

    public SslProtocols? MinimumTlsVersion { get; set; }

    public TimeSpan? Timeout { get; set; }

    public SmtpAuthenticationType Authentication { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    public string? ServiceAccountKey { get; set; }

    public string? TenantId { get; set; }

    public Uri? AuthorizationEndpoint { get; set; }

    public Uri? TokenEndpoint { get; set; }

    public List<string> Scopes { get; set; } = [];

    public Uri? RedirectUri { get; set; }

    public SmtpProxyType? ProxyType { get; set; }

    public string? ProxyHost { get; set; }

    public int? ProxyPort { get; set; }

    public string? ProxyUsername { get; set; }

    public string? ProxyPassword { get; set; }

    /// <summary>Writes the saved fields over <paramref name="options"/>.</summary>
    public void ApplyTo(SystemMailOptions options)
    {
        options.From = From;
        options.Provider = Provider;
        options.Host = Host;
        options.Port = Port;
        options.Security = Security;
        options.MinimumTlsVersion = MinimumTlsVersion;
        if (Timeout is { } timeout)
        {
            options.Timeout = timeout;
        }

        options.Authentication = Authentication;
        options.Username = Username;
        options.Password = Password;

        // A fresh OAuth2 object: the configured one may be shared with other snapshots.
        var configured = options.OAuth2 ?? new SmtpOAuthOptions();
        options.OAuth2 = new SmtpOAuthOptions
        {
            Flow = configured.Flow,
            ClientId = ClientId,
            ClientSecret = ClientSecret,
            ServiceAccountKey = ServiceAccountKey,
            TenantId = TenantId,
            AuthorizationEndpoint = AuthorizationEndpoint,
            TokenEndpoint = TokenEndpoint,
            Scopes = [.. Scopes],
            RedirectUri = RedirectUri ?? configured.RedirectUri,
            AuthorizationParameters = configured.AuthorizationParameters,
            SendLoginHint = configured.SendLoginHint,
            RefreshMargin = configured.RefreshMargin,
            StoreCheckInterval = configured.StoreCheckInterval,
            AuthorizationLifetime = configured.AuthorizationLifetime,
        };

        options.Proxy = string.IsNullOrWhiteSpace(ProxyHost)
            ? null
            : new SmtpProxyOptions
            {
                Type = ProxyType ?? SmtpProxyType.Socks5,
                Host = ProxyHost,
                Port = ProxyPort ?? 0,
                Username = ProxyUsername,
                Password = ProxyPassword,
            };
    }
}
