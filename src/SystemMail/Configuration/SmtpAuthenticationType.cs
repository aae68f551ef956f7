namespace SystemMail;

/// <summary>How SystemMail authenticates to the SMTP server.</summary>
public enum SmtpAuthenticationType
{
    /// <summary>No authentication (an open relay on a trusted network).</summary>
    None = 0,

    /// <summary>Username and password (an app password, or SendGrid's <c>apikey</c> and API key).</summary>
    Basic = 1,

    /// <summary>OAuth 2.0 access tokens sent with the <c>XOAUTH2</c> SASL mechanism.</summary>
    OAuth2 = 2,
}
