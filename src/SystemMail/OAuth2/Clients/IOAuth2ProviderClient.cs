namespace SystemMail;

/// <summary>Talks to one kind of authorization server through its library (MSAL, Google.Apis.Auth).</summary>
internal interface IOAuth2ProviderClient
{
    /// <summary>The kinds of providers this client talks to.</summary>
    IReadOnlyList<OAuth2ClientType> ClientTypes { get; }

    Uri CreateAuthorizationUrl(OAuth2Settings settings, string state, string codeChallenge);

    /// <summary>Exchanges the code; may keep library state (MSAL's cache) in <paramref name="record"/>.</summary>
    Task<OAuthTokens> ExchangeCodeAsync(OAuth2Settings settings, OAuthTokenRecord record, string code, string codeVerifier, CancellationToken cancellationToken);

    Task<OAuthTokens> RefreshAsync(OAuth2Settings settings, OAuthTokenRecord record, CancellationToken cancellationToken);

    Task<OAuthTokens> AcquireForClientAsync(OAuth2Settings settings, OAuthTokenRecord record, CancellationToken cancellationToken);
}
