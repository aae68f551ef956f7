namespace SystemMail.Tests.Infrastructure.OAuth2;

/// <summary>"Generate access token" against the tests' authorization server, for tests and benchmark runs alike.</summary>
internal static class GenerateAccessToken
{
    /// <summary>
    /// Does what the settings page and the administrator do: the authorization URL, the consent at
    /// <paramref name="authorization"/> (its redirect read, not followed) and the callback with what it returned.
    /// </summary>
    public static async Task<OAuthTokenStatus> GenerateAccessTokenAsync(this IOAuthTokenService tokens, OAuth2TestServer authorization, CancellationToken cancellationToken = default)
    {
        var request = await tokens.CreateAuthorizationUrlAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var consent = await authorization.AuthorizeAsync(request.Url, cancellationToken).ConfigureAwait(false);
        return await tokens.CompleteAuthorizationAsync(consent.Code, consent.State, consent.Error, consent.ErrorDescription, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
