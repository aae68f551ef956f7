namespace SystemMail;

/// <summary>How a provider template's mail leaves: over SMTP or through Microsoft Graph's <c>sendMail</c>.</summary>
public enum MailTransport
{
    /// <summary>SMTP: pooled MailKit connections to the template's (or the custom) host and port.</summary>
    Smtp = 0,

    /// <summary>
    /// Microsoft Graph: <c>POST {GraphBaseUrl}/v1.0/users/{mailbox}/sendMail</c> with the MIME message SystemMail built,
    /// authorized by an OAuth2 access token (for tenants where SMTP AUTH is turned off).
    /// </summary>
    MicrosoftGraph = 1,
}
