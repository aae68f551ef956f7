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
    public static void Validate(SmtpOAuthOptions oauth2, ISmtpProviderTemplate? template, ValidationErrors errors)
    {
        if (!Enum.IsDefined(oauth2.Flow))
        {
            errors.Add("OAuth2.Flow", "OAuthFlowUnknown", (int)oauth2.Flow);
            return;
        }

        if (oauth2.Flow == OAuthFlow.ServiceAccount)
        {
            ServiceAccountRules.Validate(oauth2, template, errors);
            return;
        }

        if (!string.IsNullOrEmpty(oauth2.ServiceAccountKey))
        {
            errors.Add("OAuth2.ServiceAccountKey", "ServiceAccountKeyWithoutFlow");
        }

        if (string.IsNullOrWhiteSpace(oauth2.ClientId))
        {
            errors.Add("OAuth2.ClientId", "ClientIdRequired");
        }

        if (string.IsNullOrEmpty(oauth2.ClientSecret))
        {
            errors.Add("OAuth2.ClientSecret", "ClientSecretRequired");
        }

        var metadata = template?.OAuth2;
        if (template is { OAuth2: null, AllowsCustomConnection: false })
        {
            errors.Add("OAuth2", "TemplateHasNoOAuth2", template.DisplayName);
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
                errors.Add("OAuth2.Scopes", "ScopesRequired");
            }
        }

        ValidateAuthorizationParameters(oauth2.AuthorizationParameters, errors);

        if (oauth2.TenantId is { Length: > 0 } tenant && tenant.Any(c => c is '/' or '?' or '#' || char.IsWhiteSpace(c)))
        {
            errors.Add("OAuth2.TenantId", "TenantIdInvalid", tenant);
        }

        if (oauth2.Flow == OAuthFlow.AuthorizationCode)
        {
            if (oauth2.RedirectUri is null)
            {
                errors.Add("OAuth2.RedirectUri", "RedirectUriRequired");
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

    private static void ValidateAuthorizationParameters(IDictionary<string, string>? parameters, ValidationErrors errors)
    {
        foreach (var (name, value) in parameters ?? new Dictionary<string, string>())
        {
            var trimmed = name.Trim();
            if (trimmed.Length == 0 || trimmed.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '&' or '=' or '#' or '?'))
            {
                errors.Add("OAuth2.AuthorizationParameters", "AuthorizationParameterNameInvalid", name);
            }
            else if (ReservedAuthorizationParameters.Contains(trimmed))
            {
                errors.Add("OAuth2.AuthorizationParameters", "AuthorizationParameterReserved", trimmed, string.Join(", ", ReservedAuthorizationParameters));
            }
            else if (value is null || value.Any(char.IsControl))
            {
                errors.Add("OAuth2.AuthorizationParameters", "AuthorizationParameterValueInvalid", trimmed);
            }
        }
    }

    // As with host and port, a template owns its endpoints and scopes.
    private static void ValidateTemplateOwned(SmtpOAuthOptions oauth2, ISmtpProviderTemplate template, SmtpOAuthMetadata metadata, ValidationErrors errors)
    {
        if (oauth2.AuthorizationEndpoint is not null)
        {
            errors.Add("OAuth2.AuthorizationEndpoint", "EndpointSetByTemplate", template.DisplayName);
        }

        if (oauth2.TokenEndpoint is not null)
        {
            errors.Add("OAuth2.TokenEndpoint", "EndpointSetByTemplate", template.DisplayName);
        }

        if (oauth2.Scopes is { Count: > 0 })
        {
            errors.Add("OAuth2.Scopes", "ScopesSetByTemplate", template.DisplayName, string.Join(" ", metadata.Scopes));
        }

        if (metadata.RequiresTenant && string.IsNullOrWhiteSpace(oauth2.TenantId))
        {
            errors.Add("OAuth2.TenantId", "TenantIdRequired", template.DisplayName);
        }

        if (oauth2.Flow == OAuthFlow.ClientCredentials && metadata.ClientCredentialsScopes.Count == 0)
        {
            errors.Add("OAuth2.Flow", "ClientCredentialsNotSupported", template.DisplayName);
        }
    }

    // The host's own callback may be plain http (a site behind a TLS proxy); the provider's endpoints may not.
    private static void CheckEndpoint(Uri? endpoint, string property, ValidationErrors errors, bool secretsGoThrough)
    {
        if (endpoint is null)
        {
            errors.Add(property, "EndpointRequired");
        }
        else if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add(property, secretsGoThrough ? "UrlNotAbsoluteHttps" : "UrlNotAbsoluteHttpOrHttps", endpoint.OriginalString);
        }
        else if (secretsGoThrough && !IsSecureEndpoint(endpoint))
        {
            errors.Add(property, "EndpointNotHttps", endpoint.OriginalString);
        }
    }
}
