using System.Security.Authentication;
using Microsoft.Extensions.Options;

namespace SystemMail;

/// <summary>
/// The rules against the chosen provider template: the connection settings a built-in template owns, the connection a
/// <c>custom</c> template needs, and the authentication each template supports; and the OAuth2 endpoints of every
/// template.
/// </summary>
/// <remarks>
/// With an unknown provider (<see langword="null"/> template) the rules that need the template are skipped and every
/// other one still runs, so a misspelt provider id does not hide a missing password or a bad port.
/// </remarks>
internal static class ProviderTemplateRules
{
    public static void ValidateConnection(SystemMailOptions options, ISmtpProviderTemplate? template, ValidateOptionsResultBuilder errors)
    {
        if (template is { AllowsCustomConnection: false })
        {
            ValidateOwnedConnection(options, template, errors);
            return;
        }

        if (template is not null && string.IsNullOrWhiteSpace(options.Host))
        {
            errors.AddError($"is required with the {template.DisplayName} provider: the SMTP server's host name, such as 'smtp.example.com'.", nameof(options.Host));
        }
        else if (!string.IsNullOrWhiteSpace(options.Host) && !HostNames.IsBare(options.Host))
        {
            errors.AddError($"{SystemMailOptionsValidator.NotBareHost}; the port goes in Port and the credentials in Username and Password.", nameof(options.Host));
        }

        // The port's range is an attribute; that it must be given depends on the template.
        if (template is not null && options.Port is null)
        {
            errors.AddError($"is required with the {template.DisplayName} provider: usually 587 (StartTls) or 465 (SslOnConnect).", nameof(options.Port));
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

    public static void ValidateAuthentication(SystemMailOptions options, ISmtpProviderTemplate? template, ValidateOptionsResultBuilder errors)
    {
        var authentication = options.Authentication;
        if (!Enum.IsDefined(authentication))
        {
            errors.AddError($"{(int)authentication} is not one of None, Basic, OAuth2.", nameof(options.Authentication));
            return;
        }

        if (template is not null && !template.SupportedAuthentication.Contains(authentication))
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
                ValidateBasic(options, template, errors);
                break;

            case SmtpAuthenticationType.OAuth2:
                if (string.IsNullOrWhiteSpace(options.Username))
                {
                    errors.AddError("is required with OAuth2 authentication: the mailbox address the tokens are issued for.", nameof(options.Username));
                }

                OAuthRules.Validate(options.OAuth2 ?? new SmtpOAuthOptions(), template, errors);
                break;
        }
    }

    // ThingsBoard's rule: a template owns its connection settings. The same value is harmless (a settings form may post
    // every field); a different one means the user wanted another server.
    private static void ValidateOwnedConnection(SystemMailOptions options, ISmtpProviderTemplate template, ValidateOptionsResultBuilder errors)
    {
        const string ChooseCustom = SystemMailOptionsValidator.ChooseCustom;
        if (!string.IsNullOrWhiteSpace(options.Host))
        {
            var host = options.Host.Trim();
            if (!HostNames.IsBare(host))
            {
                errors.AddError($"{SystemMailOptionsValidator.NotBareHost}; leave it empty to use the {template.DisplayName} template's host.", nameof(options.Host));
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
    }

    /// <summary>
    /// The OAuth2 endpoints of every template, the host's included: the client secret, the authorization code and the
    /// tokens go through them, so they must be https (http only on this machine). Checked whichever provider is chosen,
    /// so a host's template with an http endpoint stops the host at start-up, not when an administrator picks it.
    /// </summary>
    public static void ValidateTemplateEndpoints(ISmtpProviderCatalog catalog, ValidateOptionsResultBuilder errors)
    {
        foreach (var template in catalog.Templates)
        {
            if (template.OAuth2 is not { } metadata)
            {
                continue;
            }

            foreach (var (endpoint, name) in new[] { (metadata.AuthorizationEndpoint, "authorization"), (metadata.TokenEndpoint, "token") })
            {
                // {tenant} stands for a tenant id or domain, which cannot change the scheme or the host.
                var filled = endpoint?.Replace("{tenant}", "common", StringComparison.Ordinal);
                if (!Uri.TryCreate(filled, UriKind.Absolute, out var uri) || !OAuthRules.IsSecureEndpoint(uri))
                {
                    errors.AddError(
                        $"the template '{template.Id}' ({template.DisplayName}) has an OAuth2 {name} endpoint that is not an absolute https URL " +
                        "(http is accepted only on this machine: localhost or a loopback address); fix the template in the host's code.",
                        nameof(SystemMailOptions.Provider));
                }
            }
        }
    }

    private static void ValidateBasic(SystemMailOptions options, ISmtpProviderTemplate? template, ValidateOptionsResultBuilder errors)
    {
        // Whether a user name is needed depends on the template (SendGrid fixes it); the password is always needed.
        if (template?.FixedUsername is { } fixedUsername)
        {
            if (!string.IsNullOrEmpty(options.Username) && !string.Equals(options.Username, fixedUsername, StringComparison.Ordinal))
            {
                errors.AddError($"must be '{fixedUsername}' with the {template.DisplayName} provider (put the API key in Password).", nameof(options.Username));
            }
        }
        else if (template is not null && string.IsNullOrWhiteSpace(options.Username))
        {
            errors.AddError($"is required with Basic authentication: {UsernameHint(template)}.", nameof(options.Username));
        }

        if (string.IsNullOrEmpty(options.Password))
        {
            errors.AddError($"is required with Basic authentication: {PasswordHint(template)}.", nameof(options.Password));
        }
    }

    private static string UsernameHint(ISmtpProviderTemplate template) => template.Id switch
    {
        SmtpProviderTemplates.GoogleId or SmtpProviderTemplates.Office365Id => "the mailbox address",
        _ => "the SMTP account's user name",
    };

    private static string PasswordHint(ISmtpProviderTemplate? template) => template?.Id switch
    {
        SmtpProviderTemplates.GoogleId => "a Google app password",
        SmtpProviderTemplates.SendGridId => "the SendGrid API key",
        _ => "the SMTP account's password",
    };
}
