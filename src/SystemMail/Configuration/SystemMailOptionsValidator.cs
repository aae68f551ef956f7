using System.Security.Authentication;
using Microsoft.Extensions.Options;
using MimeKit;

namespace SystemMail;

/// <summary>
/// Checks every rule across the settings and reports all problems at once, each with its field and reason,
/// so one start-up failure lists everything the administrator has to fix.
/// </summary>
internal sealed class SystemMailOptionsValidator : IValidateOptions<SystemMailOptions>
{
    private const string ChooseCustom = "to change it, choose Provider 'custom'";

    // Never echoes the value: one such as 'user:password@host' carries a secret.
    private const string NotBareHost = "must be a bare host name or IP address, such as 'smtp.example.com', without user, password, scheme, port, path or spaces";

    private readonly ISmtpProviderCatalog _catalog;

    public SystemMailOptionsValidator(ISmtpProviderCatalog catalog)
    {
        _catalog = catalog;
    }

    public ValidateOptionsResult Validate(string? name, SystemMailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidateOptionsResultBuilder();

        ValidateFrom(options, errors);
        ValidateLimits(options, errors);

        if (string.IsNullOrWhiteSpace(options.Provider))
        {
            errors.AddError($"is required: choose one of {KnownIds()}.", nameof(options.Provider));
        }
        else if (!_catalog.TryGet(options.Provider, out var template))
        {
            errors.AddError($"'{options.Provider}' is not a known provider template; choose one of {KnownIds()}.", nameof(options.Provider));
        }
        else
        {
            ValidateConnection(options, template, errors);
            ValidateSendingLimit(options, template, errors);
            ValidateAuthentication(options, template, errors);
        }

        ValidateProxy(options.Proxy, errors);
        ValidateProduct(options.Product, errors);
        return errors.Build();
    }

    private static void ValidateFrom(SystemMailOptions options, ValidateOptionsResultBuilder errors)
    {
        if (string.IsNullOrWhiteSpace(options.From))
        {
            errors.AddError("is required: the sender's address, such as 'Acme <no-reply@acme.com>'.", nameof(options.From));
        }
        else if (options.From.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            errors.AddError("must not contain a line break.", nameof(options.From));
        }
        else if (!IsMailbox(options.From))
        {
            errors.AddError($"'{options.From}' is not a valid address; use 'name@domain' or 'Display Name <name@domain>'.", nameof(options.From));
        }
    }

    private static void ValidateLimits(SystemMailOptions options, ValidateOptionsResultBuilder errors)
    {
        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromMinutes(10))
        {
            errors.AddError($"must be more than zero and at most 10 minutes; got {options.Timeout}.", nameof(options.Timeout));
        }

        if (options.PoolSize is < 1 or > 100)
        {
            errors.AddError($"must be between 1 and 100; got {options.PoolSize}.", nameof(options.PoolSize));
        }

        if (options.ConnectionIdleTimeout <= TimeSpan.Zero)
        {
            errors.AddError($"must be more than zero; got {options.ConnectionIdleTimeout}.", nameof(options.ConnectionIdleTimeout));
        }

        if (options.Retry is { } retry)
        {
            if (retry.MaxRetryAttempts is < 0 or > 10)
            {
                errors.AddError($"must be between 0 (no retries) and 10; got {retry.MaxRetryAttempts}.", "Retry.MaxRetryAttempts");
            }

            if (retry.Delay <= TimeSpan.Zero || retry.Delay > TimeSpan.FromMinutes(5))
            {
                errors.AddError($"must be more than zero and at most 5 minutes; got {retry.Delay}.", "Retry.Delay");
            }

            if (retry.MaxDelay < retry.Delay)
            {
                errors.AddError($"must be at least Retry.Delay ({retry.Delay}); got {retry.MaxDelay}.", "Retry.MaxDelay");
            }
            else if (retry.MaxDelay > TimeSpan.FromDays(1))
            {
                errors.AddError($"must be at most 1 day, the longest delay the retry strategy (Polly) accepts; got {retry.MaxDelay}.", "Retry.MaxDelay");
            }
        }

        if (options.RateLimit is { } rate)
        {
            if (rate.PermitLimit is < 1)
            {
                errors.AddError($"must be at least 1; got {rate.PermitLimit}.", "RateLimit.PermitLimit");
            }

            if (rate.Window is { } window && (window <= TimeSpan.Zero || window > TimeSpan.FromDays(31)))
            {
                errors.AddError($"must be more than zero and at most 31 days; got {window}.", "RateLimit.Window");
            }

            if (rate.QueueLimit < 0)
            {
                errors.AddError($"must be zero or more; got {rate.QueueLimit}.", "RateLimit.QueueLimit");
            }

            if (rate.QueueTimeout < TimeSpan.Zero || rate.QueueTimeout > TimeSpan.FromDays(1))
            {
                errors.AddError($"must be zero or more and at most 1 day; got {rate.QueueTimeout}.", "RateLimit.QueueTimeout");
            }
        }

        if (options.LocalDomain is { } local && (string.IsNullOrWhiteSpace(local) || local.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))))
        {
            errors.AddError("must be a host name without spaces or line breaks.", nameof(options.LocalDomain));
        }
    }

    private static void ValidateConnection(SystemMailOptions options, ISmtpProviderTemplate template, ValidateOptionsResultBuilder errors)
    {
        if (!template.AllowsCustomConnection)
        {
            // ThingsBoard's rule: a template owns its connection settings. The same value is harmless (a settings
            // form may post every field); a different one means the user wanted another server.
            if (!string.IsNullOrWhiteSpace(options.Host))
            {
                var host = options.Host.Trim();
                if (!HostNames.IsBare(host))
                {
                    errors.AddError($"{NotBareHost}; leave it empty to use the {template.DisplayName} template's host.", nameof(options.Host));
                }
                else if (!string.Equals(host, template.Host, StringComparison.OrdinalIgnoreCase))
                {
                    errors.AddError($"'{host}' differs from the {template.DisplayName} template's host ({template.Host}); {ChooseCustom}.", nameof(options.Host));
                }
            }

            if (options.Port is { } port && port != template.Port)
            {
                errors.AddError($"{port} differs from the {template.DisplayName} template's port ({template.Port}); {ChooseCustom}.", nameof(options.Port));
            }

            if (options.Security is { } security && security != template.Security)
            {
                errors.AddError($"{security} differs from the {template.DisplayName} template's security ({template.Security}); {ChooseCustom}.", nameof(options.Security));
            }

            if (options.MinimumTlsVersion is { } tls && tls != template.MinimumTlsVersion)
            {
                errors.AddError($"{tls} differs from the {template.DisplayName} template's minimum TLS version ({template.MinimumTlsVersion}); {ChooseCustom}.", nameof(options.MinimumTlsVersion));
            }

            return;
        }

        if (string.IsNullOrWhiteSpace(options.Host))
        {
            errors.AddError($"is required with the {template.DisplayName} provider: the SMTP server's host name, such as 'smtp.example.com'.", nameof(options.Host));
        }
        else if (!HostNames.IsBare(options.Host))
        {
            errors.AddError($"{NotBareHost}; the port goes in Port and the credentials in Username and Password.", nameof(options.Host));
        }

        if (options.Port is null)
        {
            errors.AddError($"is required with the {template.DisplayName} provider: usually 587 (StartTls) or 465 (SslOnConnect).", nameof(options.Port));
        }
        else if (options.Port is < 1 or > 65535)
        {
            errors.AddError($"must be between 1 and 65535; got {options.Port}.", nameof(options.Port));
        }

        if (options.Security is { } customSecurity && !Enum.IsDefined(customSecurity))
        {
            errors.AddError($"{(int)customSecurity} is not one of None, StartTls, SslOnConnect.", nameof(options.Security));
        }

        if (options.MinimumTlsVersion is { } minimumTls && minimumTls is not (SslProtocols.Tls12 or SslProtocols.Tls13))
        {
            errors.AddError($"{minimumTls} is not accepted; use Tls12 (the default) or Tls13 (TLS 1.0 and 1.1 are deprecated by RFC 8996).", nameof(options.MinimumTlsVersion));
        }
    }

    /// <summary>
    /// A limit set in part takes the rest from the template's (as <see cref="SendPolicy.EffectiveLimit"/> does); without a
    /// template limit, half a limit paces nothing, so the missing half is reported.
    /// </summary>
    private static void ValidateSendingLimit(SystemMailOptions options, ISmtpProviderTemplate template, ValidateOptionsResultBuilder errors)
    {
        if (options.RateLimit is not { Enabled: true } rate || template.SendingLimit is not null)
        {
            return;
        }

        if (rate.PermitLimit is not null && rate.Window is null)
        {
            errors.AddError(
                $"is required with RateLimit.PermitLimit: the {template.DisplayName} template has no sending limit to take the window from, so nothing would be paced.",
                "RateLimit.Window");
        }
        else if (rate.Window is not null && rate.PermitLimit is null)
        {
            errors.AddError(
                $"is required with RateLimit.Window: the {template.DisplayName} template has no sending limit to take the number of mails from, so nothing would be paced.",
                "RateLimit.PermitLimit");
        }
    }

    private static void ValidateAuthentication(SystemMailOptions options, ISmtpProviderTemplate template, ValidateOptionsResultBuilder errors)
    {
        var authentication = options.Authentication;
        if (!Enum.IsDefined(authentication))
        {
            errors.AddError($"{(int)authentication} is not one of None, Basic, OAuth2.", nameof(options.Authentication));
            return;
        }

        if (!template.SupportedAuthentication.Contains(authentication))
        {
            errors.AddError(
                $"{authentication} is not supported by the {template.DisplayName} provider; choose {string.Join(" or ", template.SupportedAuthentication)}.",
                nameof(options.Authentication));
            return;
        }

        switch (authentication)
        {
            case SmtpAuthenticationType.None:
                if (!string.IsNullOrEmpty(options.Username) || !string.IsNullOrEmpty(options.Password))
                {
                    errors.AddError("None ignores the Username and Password that are set; set Authentication to Basic to use them.", nameof(options.Authentication));
                }

                break;

            case SmtpAuthenticationType.Basic:
                if (template.FixedUsername is { } fixedUsername)
                {
                    if (!string.IsNullOrEmpty(options.Username) && !string.Equals(options.Username, fixedUsername, StringComparison.Ordinal))
                    {
                        errors.AddError($"must be '{fixedUsername}' with the {template.DisplayName} provider (put the API key in Password).", nameof(options.Username));
                    }
                }
                else if (string.IsNullOrWhiteSpace(options.Username))
                {
                    errors.AddError($"is required with Basic authentication: {UsernameHint(template)}.", nameof(options.Username));
                }

                if (string.IsNullOrEmpty(options.Password))
                {
                    errors.AddError($"is required with Basic authentication: {PasswordHint(template)}.", nameof(options.Password));
                }

                break;

            case SmtpAuthenticationType.OAuth2:
                if (string.IsNullOrWhiteSpace(options.Username))
                {
                    errors.AddError("is required with OAuth2 authentication: the mailbox address the tokens are issued for.", nameof(options.Username));
                }

                ValidateOAuth2(options.OAuth2 ?? new SmtpOAuth2Options(), template, errors);
                break;
        }
    }

    private static void ValidateOAuth2(SmtpOAuth2Options oauth2, ISmtpProviderTemplate template, ValidateOptionsResultBuilder errors)
    {
        if (!Enum.IsDefined(oauth2.Flow))
        {
            errors.AddError($"{(int)oauth2.Flow} is not one of AuthorizationCode, ClientCredentials.", "OAuth2.Flow");
            return;
        }

        if (string.IsNullOrWhiteSpace(oauth2.ClientId))
        {
            errors.AddError("is required with OAuth2: the client (application) id from the provider's console.", "OAuth2.ClientId");
        }

        if (string.IsNullOrEmpty(oauth2.ClientSecret))
        {
            errors.AddError("is required with OAuth2: the client secret from the provider's console.", "OAuth2.ClientSecret");
        }

        var metadata = template.OAuth2;
        if (metadata is null && !template.AllowsCustomConnection)
        {
            errors.AddError($"The {template.DisplayName} template has no OAuth2 endpoints; choose Provider 'custom' to set them.", "OAuth2");
            return;
        }

        if (metadata is not null)
        {
            // As with host and port, a template owns its endpoints and scopes.
            if (oauth2.AuthorizationEndpoint is not null)
            {
                errors.AddError($"is set by the {template.DisplayName} template; {ChooseCustom}.", "OAuth2.AuthorizationEndpoint");
            }

            if (oauth2.TokenEndpoint is not null)
            {
                errors.AddError($"is set by the {template.DisplayName} template; {ChooseCustom}.", "OAuth2.TokenEndpoint");
            }

            if (oauth2.Scopes is { Count: > 0 })
            {
                errors.AddError($"are set by the {template.DisplayName} template ({string.Join(" ", metadata.Scopes)}); {ChooseCustom}.", "OAuth2.Scopes");
            }

            if (metadata.RequiresTenant && string.IsNullOrWhiteSpace(oauth2.TenantId))
            {
                errors.AddError($"is required with the {template.DisplayName} provider: the directory (tenant) id of the app registration.", "OAuth2.TenantId");
            }

            if (oauth2.Flow == OAuth2Flow.ClientCredentials && metadata.ClientCredentialsScopes.Count == 0)
            {
                errors.AddError($"ClientCredentials is not supported by the {template.DisplayName} provider; use AuthorizationCode.", "OAuth2.Flow");
            }
        }
        else
        {
            if (oauth2.Flow == OAuth2Flow.AuthorizationCode)
            {
                CheckEndpoint(oauth2.AuthorizationEndpoint, "OAuth2.AuthorizationEndpoint", errors);
            }

            CheckEndpoint(oauth2.TokenEndpoint, "OAuth2.TokenEndpoint", errors);
            if (oauth2.Scopes is null || oauth2.Scopes.Count == 0 || oauth2.Scopes.Any(string.IsNullOrWhiteSpace))
            {
                errors.AddError("are required with the custom provider: the scopes that allow sending mail.", "OAuth2.Scopes");
            }
        }

        if (oauth2.TenantId is { Length: > 0 } tenant && tenant.Any(c => c is '/' or '?' or '#' || char.IsWhiteSpace(c)))
        {
            errors.AddError($"'{tenant}' must be a tenant id or domain, without slashes or spaces.", "OAuth2.TenantId");
        }

        if (oauth2.Flow == OAuth2Flow.AuthorizationCode)
        {
            if (oauth2.RedirectUri is null)
            {
                errors.AddError("is required for the authorization-code flow: the absolute URL of the host's OAuth2 callback, to register in the provider's console.", "OAuth2.RedirectUri");
            }
            else
            {
                CheckEndpoint(oauth2.RedirectUri, "OAuth2.RedirectUri", errors);
            }
        }

        if (oauth2.RefreshMargin < TimeSpan.Zero || oauth2.RefreshMargin > TimeSpan.FromMinutes(30))
        {
            errors.AddError($"must be between zero and 30 minutes; got {oauth2.RefreshMargin}.", "OAuth2.RefreshMargin");
        }

        if (oauth2.AuthorizationLifetime < TimeSpan.FromMinutes(1) || oauth2.AuthorizationLifetime > TimeSpan.FromHours(1))
        {
            errors.AddError($"must be between 1 and 60 minutes; got {oauth2.AuthorizationLifetime}.", "OAuth2.AuthorizationLifetime");
        }
    }

    private static void CheckEndpoint(Uri? endpoint, string property, ValidateOptionsResultBuilder errors)
    {
        if (endpoint is null)
        {
            errors.AddError("is required with the custom provider.", property);
        }
        else if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
        {
            errors.AddError($"'{endpoint.OriginalString}' must be an absolute http or https URL.", property);
        }
    }

    private static void ValidateProxy(SmtpProxyOptions? proxy, ValidateOptionsResultBuilder errors)
    {
        if (proxy is null)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(proxy.Host))
        {
            if (proxy.Port != 0 || !string.IsNullOrEmpty(proxy.Username) || !string.IsNullOrEmpty(proxy.Password))
            {
                errors.AddError("is required when other proxy settings are given.", "Proxy.Host");
            }

            return;
        }

        if (!HostNames.IsBare(proxy.Host.Trim()))
        {
            errors.AddError($"{NotBareHost}; the port goes in Proxy.Port and the credentials in Proxy.Username and Proxy.Password.", "Proxy.Host");
        }

        if (!Enum.IsDefined(proxy.Type))
        {
            errors.AddError($"{(int)proxy.Type} is not one of Socks5, Socks4, Http, Https.", "Proxy.Type");
        }

        if (proxy.Port is < 1 or > 65535)
        {
            errors.AddError($"must be between 1 and 65535; got {proxy.Port}.", "Proxy.Port");
        }

        if (!string.IsNullOrEmpty(proxy.Password) && string.IsNullOrEmpty(proxy.Username))
        {
            errors.AddError("is required when Proxy.Password is set.", "Proxy.Username");
        }

        if (proxy.Type == SmtpProxyType.Socks4 && !string.IsNullOrEmpty(proxy.Password))
        {
            errors.AddError(
                "is not sent to a Socks4 proxy: SOCKS4 and 4a carry only a user id (Proxy.Username); remove the password, or choose Socks5 if the proxy needs one.",
                "Proxy.Password");
        }
    }

    private static void ValidateProduct(SystemMailProductOptions? product, ValidateOptionsResultBuilder errors)
    {
        if (product is null)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(product.Name))
        {
            errors.AddError("is required: the product name the mails show.", "Product.Name");
        }
        else if (product.Name.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            errors.AddError("must not contain a line break (it appears in subjects).", "Product.Name");
        }

        if (product.Url is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)))
        {
            errors.AddError($"'{url.OriginalString}' must be an absolute http or https URL.", "Product.Url");
        }

        if (!string.IsNullOrEmpty(product.SupportAddress) && !IsMailbox(product.SupportAddress))
        {
            errors.AddError($"'{product.SupportAddress}' is not a valid address.", "Product.SupportAddress");
        }
    }

    private static bool IsMailbox(string value) =>
        value.AsSpan().IndexOfAny('\r', '\n') < 0 &&
        MailboxAddress.TryParse(ParserOptions.Default, value, out var mailbox) &&
        mailbox.Address.IndexOf('@', StringComparison.Ordinal) > 0 &&
        !mailbox.Address.EndsWith('@');

    private static string UsernameHint(ISmtpProviderTemplate template) => template.Id switch
    {
        SmtpProviderTemplates.GoogleId or SmtpProviderTemplates.Office365Id => "the mailbox address",
        _ => "the SMTP account's user name",
    };

    private static string PasswordHint(ISmtpProviderTemplate template) => template.Id switch
    {
        SmtpProviderTemplates.GoogleId => "a Google app password",
        SmtpProviderTemplates.SendGridId => "the SendGrid API key",
        _ => "the SMTP account's password",
    };

    private string KnownIds() => string.Join(", ", _catalog.Templates.Select(t => t.Id));
}
