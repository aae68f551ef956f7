namespace SystemMail;

/// <summary>How SystemMail obtains OAuth2 tokens for sending.</summary>
public enum OAuthFlow
{
    /// <summary>An administrator consents once in the browser ("Generate access token"); refresh tokens do the rest.</summary>
    AuthorizationCode = 0,

    /// <summary>The application authenticates as itself with its client secret, with no consent step (unattended senders, Office 365 app-only SMTP).</summary>
    ClientCredentials = 1,

    /// <summary>
    /// A Google service account with domain-wide delegation signs a JWT (RFC 7523) that impersonates the sending mailbox
    /// (<see cref="SystemMailOptions.Username"/>), with its key (<see cref="SmtpOAuthOptions.ServiceAccountKey"/>); no
    /// consent step, no refresh token (<c>google</c> only).
    /// </summary>
    ServiceAccount = 2,
}
