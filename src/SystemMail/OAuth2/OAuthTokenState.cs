namespace SystemMail;

/// <summary>Where the OAuth2 tokens stand, as the settings page shows it.</summary>
public enum OAuthTokenState
{
    /// <summary>No tokens: click "Generate access token" (or they were cleared, or the provider information changed).</summary>
    NotGenerated = 0,

    /// <summary>Tokens are stored and mail goes out with XOAUTH2 ("Generated").</summary>
    Generated = 1,

    /// <summary>The provider refused the refresh token (revoked, expired): generate the access token again.</summary>
    MustRegenerate = 2,
}
