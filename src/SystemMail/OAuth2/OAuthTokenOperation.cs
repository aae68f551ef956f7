namespace SystemMail;

/// <summary>What SystemMail asked the token endpoint for; it decides what a refusal means to the administrator.</summary>
internal enum OAuthTokenOperation
{
    /// <summary>The authorization code of "Generate access token" exchanged for tokens.</summary>
    CodeExchange,

    /// <summary>A new access token for the stored refresh token.</summary>
    Refresh,

    /// <summary>An access token for the app itself (client-credentials flow).</summary>
    ClientCredentials,

    /// <summary>An access token for the mailbox a Google service account impersonates (JWT bearer grant).</summary>
    ServiceAccount,
}
