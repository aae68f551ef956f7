namespace SystemMail;

/// <summary>Talks to one kind of authorization server through its library (MSAL, Google.Apis.Auth).</summary>
internal interface IOAuthProviderClient
{
    /// <summary>The kinds of providers this client talks to.</summary>
    IReadOnlyList<OAuthClientType> ClientTypes { get; }

    Uri CreateAuthorizationUrl(OAuthSettings settings, string state, string codeChallenge);

    /// <summary>Exchanges the code; may keep library state (MSAL's cache) in <paramref name="record"/>.</summary>
    Task<OAuthTokens> ExchangeCodeAsync(OAuthSettings settings, OAuthTokenRecord record, string code, string codeVerifier, CancellationToken cancellationToken);

    Task<OAuthTokens> RefreshAsync(OAuthSettings settings, OAuthTokenRecord record, CancellationToken cancellationToken);

    Task<OAuthTokens> AcquireForClientAsync(OAuthSettings settings, OAuthTokenRecord record, CancellationToken cancellationToken);
}
