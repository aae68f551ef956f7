using Microsoft.Extensions.Options;

namespace SystemMail;

/// <summary>
/// The OAuth2 rules, checked with OAuth2 authentication: what the app registration needs, which endpoints and scopes
/// the template owns, and that the endpoints the secrets go through are https. The ranges of
/// <see cref="SmtpOAuthOptions.RefreshMargin"/>, <see cref="SmtpOAuthOptions.StoreCheckInterval"/> and
/// <see cref="SmtpOAuthOptions.AuthorizationLifetime"/> are attributes.
/// </summary>
internal static class OAuthRules
{
    /// <summary>
    /// Gets whether the client secret, an authorization code or a token may go through <paramref name="endpoint"/>: an
    /// absolute https URL, or http to this machine only (<c>localhost</c> or a loopback address).
    /// </summary>
    public static bool IsSecureEndpoint(Uri endpoint) =>
        endpoint.IsAbsoluteUri &&
        (endpoint.Scheme == Uri.UriSchemeHttps || (endpoint.Scheme == Uri.UriSchemeHttp && HostNames.IsLoopback(endpoint.IdnHost)));

    /// <summary>Checks the OAuth2 settings; with an unknown provider (<see langword="null"/>), only the rules that do not need its template.</summary>
    public static void Validate(SmtpOAuthOptions oauth2, ISmtpProviderTemplate? template, ValidateOptionsResultBuilder errors)
    {
        if (!Enum.IsDefined(oauth2.Flow))
        {
            errors.AddError($"{(int)oauth2.Flow} is not one of AuthorizationCode, ClientCredentials, ServiceAccount.", "OAuth2.Flow");
            return;
        }

        if (oauth2.Flow == OAuthFlow.ServiceAccount)
        {
            ServiceAccountRules.Validate(oauth2, template, errors);
            return;
        }

        if (!string.IsNullOrEmpty(oauth2.ServiceAccountKey))
        {
            errors.AddError("is used only with OAuth2.Flow ServiceAccount; remove it, or choose that flow.", "OAuth2.ServiceAccountKey");
        }

        if (string.IsNullOrWhiteSpace(oauth2.ClientId))
        {
            errors.AddError("is required with OAuth2: the client (application) id from the provider's console.", "OAuth2.ClientId");
        }

        if (string.IsNullOrEmpty(oauth2.ClientSecret))
        {
            errors.AddError("is required with OAuth2: the client secret from the provider's console.", "OAuth2.ClientSecret");
        }

        var metadata = template?.OAuth2;
        if (template is { OAuth2: null, AllowsCustomConnection: false })
        {
            errors.AddError($"The {template.DisplayName} template has no OAuth2 endpoints; choose Provider 'custom' to set them.", "OAuth2");
            return;
        }

        if (template is not null && metadata is not null)
        {
            ValidateTemplateOwned(oauth2, template, metadata, errors);
        }
        else if (template is not null)
        {
            if (oauth2.Flow == OAuthFlow.AuthorizationCode)
            {
                CheckEndpoint(oauth2.AuthorizationEndpoint, "OAuth2.AuthorizationEndpoint", errors, secretsGoThrough: true);
            }

            CheckEndpoint(oauth2.TokenEndpoint, "OAuth2.TokenEndpoint", errors, secretsGoThrough: true);
            if (oauth2.Scopes is null || oauth2.Scopes.Count == 0 || oauth2.Scopes.Any(string.IsNullOrWhiteSpace))
            {
                errors.AddError("are required with the custom provider: the scopes that allow sending mail.", "OAuth2.Scopes");
            }
        }

        ValidateAuthorizationParameters(oauth2.AuthorizationParameters, errors);

        if (oauth2.TenantId is { Length: > 0 } tenant && tenant.Any(c => c is '/' or '?' or '#' || char.IsWhiteSpace(c)))
        {
            errors.AddError($"'{tenant}' must be a tenant id or domain, without slashes or spaces.", "OAuth2.TenantId");
        }

        if (oauth2.Flow == OAuthFlow.AuthorizationCode)
        {
            if (oauth2.RedirectUri is null)
            {
                errors.AddError("is required for the authorization-code flow: the absolute URL of the host's OAuth2 callback, to register in the provider's console.", "OAuth2.RedirectUri");
            }
            else
            {
                CheckEndpoint(oauth2.RedirectUri, "OAuth2.RedirectUri", errors, secretsGoThrough: false);
            }
        }
    }

    /// <summary>The authorization URL's parameters that SystemMail sets itself; a host's extra parameters may not replace them.</summary>
    internal static readonly IReadOnlySet<string> ReservedAuthorizationParameters = new HashSet<string>(
        ["response_type", "response_mode", "client_id", "redirect_uri", "state", "code_challenge", "code_challenge_method", "scope"],
        StringComparer.OrdinalIgnoreCase);

    private static void ValidateAuthorizationParameters(IDictionary<string, string>? parameters, ValidateOptionsResultBuilder errors)
    {
        foreach (var (name, value) in parameters ?? new Dictionary<string, string>())
        {
            var trimmed = name.Trim();
            if (trimmed.Length == 0 || trimmed.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '&' or '=' or '#' or '?'))
            {
                errors.AddError($"'{name}' is not a query parameter name.", "OAuth2.AuthorizationParameters");
            }
            else if (ReservedAuthorizationParameters.Contains(trimmed))
            {
                errors.AddError($"'{trimmed}' is set by SystemMail (the authorization request's own parameters: {string.Join(", ", ReservedAuthorizationParameters)}) and cannot be replaced.", "OAuth2.AuthorizationParameters");
            }
            else if (value is null || value.Any(char.IsControl))
            {
                errors.AddError($"The value of '{trimmed}' must be text without control characters.", "OAuth2.AuthorizationParameters");
            }
        }
    }

    // As with host and port, a template owns its endpoints and scopes.
    private static void ValidateTemplateOwned(SmtpOAuthOptions oauth2, ISmtpProviderTemplate template, SmtpOAuthMetadata metadata, ValidateOptionsResultBuilder errors)
    {
        if (oauth2.AuthorizationEndpoint is not null)
        {
            errors.AddError($"is set by the {template.DisplayName} template; {SystemMailOptionsValidator.ChooseCustom}.", "OAuth2.AuthorizationEndpoint");
        }

        if (oauth2.TokenEndpoint is not null)
        {
            errors.AddError($"is set by the {template.DisplayName} template; {SystemMailOptionsValidator.ChooseCustom}.", "OAuth2.TokenEndpoint");
        }

        if (oauth2.Scopes is { Count: > 0 })
        {
            errors.AddError($"are set by the {template.DisplayName} template ({string.Join(" ", metadata.Scopes)}); {SystemMailOptionsValidator.ChooseCustom}.", "OAuth2.Scopes");
        }

        if (metadata.RequiresTenant && string.IsNullOrWhiteSpace(oauth2.TenantId))
        {
            errors.AddError($"is required with the {template.DisplayName} provider: the directory (tenant) id of the app registration.", "OAuth2.TenantId");
        }

        if (oauth2.Flow == OAuthFlow.ClientCredentials && metadata.ClientCredentialsScopes.Count == 0)
        {
            errors.AddError($"ClientCredentials is not supported by the {template.DisplayName} provider; use AuthorizationCode.", "OAuth2.Flow");
        }
    }

    // The host's own callback may be plain http (a site behind a TLS proxy); the provider's endpoints may not.
    private static void CheckEndpoint(Uri? endpoint, string property, ValidateOptionsResultBuilder errors, bool secretsGoThrough)
    {
        if (endpoint is null)
        {
            errors.AddError("is required with the custom provider.", property);
        }
        else if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
        {
            errors.AddError($"'{endpoint.OriginalString}' must be an absolute {(secretsGoThrough ? "https" : "http or https")} URL.", property);
        }
        else if (secretsGoThrough && !IsSecureEndpoint(endpoint))
        {
            errors.AddError(
                $"'{endpoint.OriginalString}' must be https: the client secret, authorization codes and tokens go through it (http is accepted only on this machine: localhost or a loopback address).",
                property);
        }
    }
}
