namespace SystemMail;

/// <summary>
/// Unsaved settings from a settings form, copied so the caller's object is never changed, with the secrets the form
/// left blank filled in from the saved settings where they would go to the same place.
/// </summary>
/// <remarks>
/// A stored secret is reused only for what it was saved for: the password for the same provider, host, port,
/// security and user name; the client secret for the same OAuth2 client; the proxy password for the same proxy.
/// Otherwise a form could send the stored password to a server of its choosing.
/// </remarks>
internal sealed class CandidateSettings
{
    private CandidateSettings(SystemMailOptions options, IReadOnlyList<string> used, IReadOnlyList<string> notReused)
    {
        Options = options;
        StoredSecretsUsed = used;
        StoredSecretsNotReused = notReused;
    }

    /// <summary>Gets the copy to test.</summary>
    public SystemMailOptions Options { get; }

    /// <summary>Gets the settings whose stored secret was filled in.</summary>
    public IReadOnlyList<string> StoredSecretsUsed { get; }

    /// <summary>Gets the settings left blank whose stored secret was not filled in, because it was saved for elsewhere.</summary>
    public IReadOnlyList<string> StoredSecretsNotReused { get; }

    public static CandidateSettings Create(SystemMailOptions candidate, SystemMailOptions? saved, ISmtpProviderCatalog catalog)
    {
        var copy = Copy(candidate, saved);
        var used = new List<string>();
        var notReused = new List<string>();
        if (saved is null)
        {
            return new CandidateSettings(copy, used, notReused);
        }

        if (copy.Authentication == SmtpAuthenticationType.Basic && string.IsNullOrEmpty(copy.Password) && !string.IsNullOrEmpty(saved.Password))
        {
            if (Destination(copy, catalog) is { } destination && destination == Destination(saved, catalog))
            {
                copy.Password = saved.Password;
                used.Add(nameof(SystemMailOptions.Password));
            }
            else
            {
                notReused.Add(nameof(SystemMailOptions.Password));
            }
        }

        if (copy.Authentication == SmtpAuthenticationType.OAuth2 && string.IsNullOrEmpty(copy.OAuth2.ClientSecret) && saved.OAuth2 is { ClientSecret: { Length: > 0 } clientSecret } savedOAuth2)
        {
            if (SameOAuth2Client(copy, saved, copy.OAuth2, savedOAuth2))
            {
                copy.OAuth2.ClientSecret = clientSecret;
                used.Add("OAuth2.ClientSecret");
            }
            else
            {
                notReused.Add("OAuth2.ClientSecret");
            }
        }

        if (copy.Proxy is { Host.Length: > 0, Username.Length: > 0 } proxy && string.IsNullOrEmpty(proxy.Password) &&
            saved.Proxy is { Password: { Length: > 0 } proxyPassword } savedProxy)
        {
            if (proxy.Type == savedProxy.Type && proxy.Port == savedProxy.Port &&
                string.Equals(proxy.Host.Trim(), savedProxy.Host?.Trim(), StringComparison.OrdinalIgnoreCase) &&
                string.Equals(proxy.Username, savedProxy.Username, StringComparison.Ordinal))
            {
                proxy.Password = proxyPassword;
                used.Add("Proxy.Password");
            }
            else
            {
                notReused.Add("Proxy.Password");
            }
        }

        return new CandidateSettings(copy, used, notReused);
    }

    private static SystemMailOptions Copy(SystemMailOptions candidate, SystemMailOptions? saved)
    {
        var oauth2 = candidate.OAuth2 ?? new SmtpOAuth2Options();
        var product = candidate.Product ?? new SystemMailProductOptions();
        return new SystemMailOptions
        {
            From = candidate.From,
            Provider = candidate.Provider,
            Host = candidate.Host,
            Port = candidate.Port,
            Security = candidate.Security,
            MinimumTlsVersion = candidate.MinimumTlsVersion,
            Timeout = candidate.Timeout,
            Authentication = candidate.Authentication,
            Username = candidate.Username,
            Password = candidate.Password,
            OAuth2 = new SmtpOAuth2Options
            {
                Flow = oauth2.Flow,
                ClientId = oauth2.ClientId,
                ClientSecret = oauth2.ClientSecret,
                TenantId = oauth2.TenantId,
                AuthorizationEndpoint = oauth2.AuthorizationEndpoint,
                TokenEndpoint = oauth2.TokenEndpoint,
                Scopes = [.. oauth2.Scopes ?? []],
                RedirectUri = oauth2.RedirectUri,
                RefreshMargin = oauth2.RefreshMargin,
                AuthorizationLifetime = oauth2.AuthorizationLifetime,
            },
            Proxy = candidate.Proxy is { } proxy
                ? new SmtpProxyOptions { Type = proxy.Type, Host = proxy.Host, Port = proxy.Port, Username = proxy.Username, Password = proxy.Password }
                : null,
            Product = new SystemMailProductOptions { Name = product.Name, Url = product.Url, SupportAddress = product.SupportAddress },
            PoolSize = candidate.PoolSize,
            ConnectionIdleTimeout = candidate.ConnectionIdleTimeout,
            CheckCertificateRevocation = candidate.CheckCertificateRevocation,

            // Set in code by the host, not by a form: the saved one applies unless the candidate brings its own.
            LocalDomain = candidate.LocalDomain ?? saved?.LocalDomain,
            ServerCertificateValidationCallback = candidate.ServerCertificateValidationCallback ?? saved?.ServerCertificateValidationCallback,
        };
    }

    /// <summary>Where a password goes: provider, host, port, security and user name as the template makes them.</summary>
    private static (string Provider, string Host, int Port, SmtpSecurity Security, string Username)? Destination(SystemMailOptions options, ISmtpProviderCatalog catalog)
    {
        if (!catalog.TryGet(options.Provider, out var template))
        {
            return null;
        }

        var host = (template.AllowsCustomConnection ? options.Host : template.Host)?.Trim() ?? string.Empty;
        var port = (template.AllowsCustomConnection ? options.Port : template.Port) ?? 0;
        var security = template.AllowsCustomConnection
            ? options.Security ?? (port == 465 ? SmtpSecurity.SslOnConnect : SmtpSecurity.StartTls)
            : template.Security ?? SmtpSecurity.StartTls;
        var username = string.IsNullOrEmpty(options.Username) ? template.FixedUsername ?? string.Empty : options.Username;
        return (template.Id.ToUpperInvariant(), host.ToUpperInvariant(), port, security, username.ToUpperInvariant());
    }

    private static bool SameOAuth2Client(SystemMailOptions options, SystemMailOptions saved, SmtpOAuth2Options oauth2, SmtpOAuth2Options savedOAuth2) =>
        string.Equals(options.Provider?.Trim(), saved.Provider?.Trim(), StringComparison.OrdinalIgnoreCase) &&
        string.Equals(oauth2.ClientId?.Trim(), savedOAuth2.ClientId?.Trim(), StringComparison.Ordinal) &&
        string.Equals(oauth2.TenantId?.Trim() ?? string.Empty, savedOAuth2.TenantId?.Trim() ?? string.Empty, StringComparison.OrdinalIgnoreCase) &&
        oauth2.TokenEndpoint == savedOAuth2.TokenEndpoint &&
        oauth2.AuthorizationEndpoint == savedOAuth2.AuthorizationEndpoint;
}
