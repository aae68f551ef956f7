using System.Security.Authentication;

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
    public static void ValidateConnection(SystemMailOptions options, ISmtpProviderTemplate? template, ValidationErrors errors)
    {
        if (template is { AllowsCustomConnection: false })
        {
            ValidateOwnedConnection(options, template, errors);
            return;
        }

        if (template is not null && string.IsNullOrWhiteSpace(options.Host))
        {
            errors.Add(nameof(options.Host), "HostRequired", template.DisplayName);
        }
        else if (!string.IsNullOrWhiteSpace(options.Host) && !HostNames.IsBare(options.Host))
        {
            errors.Add(nameof(options.Host), "HostNotBare");
        }

        // The port's range is an attribute; that it must be given depends on the template.
        if (template is not null && options.Port is null)
        {
            errors.Add(nameof(options.Port), "PortRequired", template.DisplayName);
        }

        if (options.Security is { } customSecurity && !Enum.IsDefined(customSecurity))
        {
            errors.Add(nameof(options.Security), "SecurityUnknown", (int)customSecurity);
        }

        if (options.MinimumTlsVersion is { } minimumTls && minimumTls is not (SslProtocols.Tls12 or SslProtocols.Tls13))
        {
            errors.Add(nameof(options.MinimumTlsVersion), "MinimumTlsNotAccepted", minimumTls);
        }
    }

    public static void ValidateAuthentication(SystemMailOptions options, ISmtpProviderTemplate? template, ValidationErrors errors)
    {
        var authentication = options.Authentication;
        if (!Enum.IsDefined(authentication))
        {
            errors.Add(nameof(options.Authentication), "AuthenticationUnknown", (int)authentication);
            return;
        }

        if (template is not null && !template.SupportedAuthentication.Contains(authentication))
        {
            errors.Add(
                nameof(options.Authentication),
                "AuthenticationNotSupported",
                authentication,
                template.DisplayName,
                ValidationMessage.OneOf(template.SupportedAuthentication.Cast<object>()));
            return;
        }

        switch (authentication)
        {
            case SmtpAuthenticationType.None:
                if (!string.IsNullOrEmpty(options.Username) || !string.IsNullOrEmpty(options.Password))
                {
                    errors.Add(nameof(options.Authentication), "NoneIgnoresCredentials");
                }

                break;

            case SmtpAuthenticationType.Basic:
                ValidateBasic(options, template, errors);
                break;

            case SmtpAuthenticationType.OAuth2:
                if (string.IsNullOrWhiteSpace(options.Username))
                {
                    errors.Add(nameof(options.Username), "UsernameRequiredWithOAuth2");
                }

                OAuthRules.Validate(options.OAuth2 ?? new SmtpOAuthOptions(), template, errors);
                break;
        }
    }

    // ThingsBoard's rule: a template owns its connection settings. The same value is harmless (a settings form may post
    // every field); a different one means the user wanted another server.
    private static void ValidateOwnedConnection(SystemMailOptions options, ISmtpProviderTemplate template, ValidationErrors errors)
    {
        if (!string.IsNullOrWhiteSpace(options.Host))
        {
            var host = options.Host.Trim();
            if (!HostNames.IsBare(host))
            {
                errors.Add(nameof(options.Host), "HostNotBareWithTemplate", template.DisplayName);
            }
            else if (!string.Equals(host, template.Host, StringComparison.OrdinalIgnoreCase))
            {
                errors.Add(nameof(options.Host), "HostDiffersFromTemplate", host, template.DisplayName, template.Host);
            }
        }

        if (options.Port is { } port && port != template.Port)
        {
            errors.Add(nameof(options.Port), "PortDiffersFromTemplate", port, template.DisplayName, template.Port);
        }

        if (options.Security is { } security && security != template.Security)
        {
            errors.Add(nameof(options.Security), "SecurityDiffersFromTemplate", security, template.DisplayName, template.Security);
        }

        if (options.MinimumTlsVersion is { } tls && tls != template.MinimumTlsVersion)
        {
            errors.Add(nameof(options.MinimumTlsVersion), "MinimumTlsDiffersFromTemplate", tls, template.DisplayName, template.MinimumTlsVersion);
        }
    }

    /// <summary>
    /// The OAuth2 endpoints of every template, the host's included: the client secret, the authorization code and the
    /// tokens go through them, so they must be https (http only on this machine). Checked whichever provider is chosen,
    /// so a host's template with an http endpoint stops the host at start-up, not when an administrator picks it.
    /// </summary>
    public static void ValidateTemplateEndpoints(ISmtpProviderCatalog catalog, ValidationErrors errors)
    {
        foreach (var template in catalog.Templates)
        {
            if (template.OAuth2 is not { } metadata)
            {
                continue;
            }

            foreach (var (endpoint, id) in new[] { (metadata.AuthorizationEndpoint, "TemplateAuthorizationEndpointNotSecure"), (metadata.TokenEndpoint, "TemplateTokenEndpointNotSecure") })
            {
                // {tenant} stands for a tenant id or domain, which cannot change the scheme or the host.
                var filled = endpoint?.Replace("{tenant}", "common", StringComparison.Ordinal);
                if (!Uri.TryCreate(filled, UriKind.Absolute, out var uri) || !OAuthRules.IsSecureEndpoint(uri))
                {
                    errors.Add(nameof(SystemMailOptions.Provider), id, template.Id, template.DisplayName);
                }
            }
        }
    }

    private static void ValidateBasic(SystemMailOptions options, ISmtpProviderTemplate? template, ValidationErrors errors)
    {
        // Whether a user name is needed depends on the template (SendGrid fixes it); the password is always needed.
        if (template?.FixedUsername is { } fixedUsername)
        {
            if (!string.IsNullOrEmpty(options.Username) && !string.Equals(options.Username, fixedUsername, StringComparison.Ordinal))
            {
                errors.Add(nameof(options.Username), "UsernameMustBeFixed", fixedUsername, template.DisplayName);
            }
        }
        else if (template is not null && string.IsNullOrWhiteSpace(options.Username))
        {
            errors.Add(nameof(options.Username), UsernameRequired(template));
        }

        if (string.IsNullOrEmpty(options.Password))
        {
            errors.Add(nameof(options.Password), PasswordRequired(template));
        }
    }

    private static string UsernameRequired(ISmtpProviderTemplate template) => template.Id switch
    {
        SmtpProviderTemplates.GoogleId or SmtpProviderTemplates.Office365Id => "UsernameRequiredMailbox",
        _ => "UsernameRequiredAccount",
    };

    private static string PasswordRequired(ISmtpProviderTemplate? template) => template?.Id switch
    {
        SmtpProviderTemplates.GoogleId => "PasswordRequiredGoogle",
        SmtpProviderTemplates.SendGridId => "PasswordRequiredSendGrid",
        _ => "PasswordRequiredAccount",
    };
}
