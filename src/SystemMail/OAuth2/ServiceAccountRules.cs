using Microsoft.Extensions.Options;

namespace SystemMail;

/// <summary>The rules of <see cref="OAuthFlow.ServiceAccount"/>: Google's template, a readable key, and no client secret to mix in.</summary>
internal static class ServiceAccountRules
{
    public static void Validate(SmtpOAuthOptions oauth2, ISmtpProviderTemplate? template, ValidateOptionsResultBuilder errors)
    {
        if (template is not null && template.OAuth2?.ClientType != OAuthClientType.Google)
        {
            errors.AddError($"ServiceAccount is supported only by the Google provider, not {template.DisplayName}; use AuthorizationCode or ClientCredentials.", "OAuth2.Flow");
        }

        if (!ServiceAccountKey.TryParse(oauth2.ServiceAccountKey, out _, out var problem))
        {
            errors.AddError(problem!, "OAuth2.ServiceAccountKey");
        }

        if (!string.IsNullOrEmpty(oauth2.ClientSecret))
        {
            errors.AddError("is not used with OAuth2.Flow ServiceAccount (the key signs the request); leave it empty.", "OAuth2.ClientSecret");
        }

        if (template?.OAuth2 is { } metadata)
        {
            if (oauth2.AuthorizationEndpoint is not null || oauth2.TokenEndpoint is not null || oauth2.Scopes is { Count: > 0 })
            {
                errors.AddError($"are set by the {template.DisplayName} template ({string.Join(" ", metadata.Scopes)}); {SystemMailOptionsValidator.ChooseCustom}.", "OAuth2.Scopes");
            }
        }
    }
}
