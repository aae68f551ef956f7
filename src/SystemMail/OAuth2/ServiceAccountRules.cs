namespace SystemMail;

/// <summary>The rules of <see cref="OAuthFlow.ServiceAccount"/>: Google's template, a readable key, and no client secret to mix in.</summary>
internal static class ServiceAccountRules
{
    public static void Validate(SmtpOAuthOptions oauth2, ISmtpProviderTemplate? template, ValidationErrors errors)
    {
        if (template is not null && template.OAuth2?.ClientType != OAuthClientType.Google)
        {
            errors.Add("OAuth2.Flow", "ServiceAccountNotSupported", template.DisplayName);
        }

        if (!ServiceAccountKey.TryParse(oauth2.ServiceAccountKey, out _, out var problem))
        {
            errors.Add("OAuth2.ServiceAccountKey", problem!);
        }

        if (!string.IsNullOrEmpty(oauth2.ClientSecret))
        {
            errors.Add("OAuth2.ClientSecret", "ClientSecretNotUsedWithServiceAccount");
        }

        if (template?.OAuth2 is { } metadata)
        {
            if (oauth2.AuthorizationEndpoint is not null || oauth2.TokenEndpoint is not null || oauth2.Scopes is { Count: > 0 })
            {
                errors.Add("OAuth2.Scopes", "ScopesSetByTemplate", template.DisplayName, string.Join(" ", metadata.Scopes));
            }
        }
    }
}
