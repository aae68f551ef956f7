using System.Security.Authentication;

namespace SystemMail;

/// <summary>The built-in provider templates: each provider's published SMTP host, port, security and OAuth2 endpoints.</summary>
public static class SmtpProviderTemplates
{
    /// <summary>The id of the Google (Gmail, Google Workspace) template.</summary>
    public const string GoogleId = "google";

    /// <summary>The id of the Office 365 (Exchange Online) template.</summary>
    public const string Office365Id = "office365";

    /// <summary>The id of the Office 365 template that sends through Microsoft Graph instead of SMTP.</summary>
    public const string Office365GraphId = "office365-graph";

    /// <summary>The id of the SendGrid template.</summary>
    public const string SendGridId = "sendgrid";

    /// <summary>The id of the custom template, where the user sets everything.</summary>
    public const string CustomId = "custom";

    /// <summary>Gets Google: <c>smtp.gmail.com</c>, port 465, implicit TLS, Basic (app password) or OAuth2.</summary>
    public static ISmtpProviderTemplate Google { get; } = new SmtpProviderTemplate
    {
        Id = GoogleId,
        DisplayName = "Google",
        Host = "smtp.gmail.com",
        Port = 465,
        Security = SmtpSecurity.SslOnConnect,
        MinimumTlsVersion = SslProtocols.Tls12,
        SupportedAuthentication = [SmtpAuthenticationType.Basic, SmtpAuthenticationType.OAuth2],
        OAuth2 = new SmtpOAuthMetadata
        {
            AuthorizationEndpoint = "https://accounts.google.com/o/oauth2/v2/auth",
            TokenEndpoint = "https://oauth2.googleapis.com/token",
            Scopes = ["https://mail.google.com/"],
            ClientType = OAuthClientType.Google,
            AuthorizationParameters = new Dictionary<string, string>
            {
                ["access_type"] = "offline",
                ["prompt"] = "consent",
            },
        },
        HelpLink = new Uri("https://support.google.com/a/answer/176600"),
        // Gmail: about 2,000 messages a day per user (Google Workspace sending limits).
        SendingLimit = new SmtpSendingLimit(2000, TimeSpan.FromDays(1)),
    };

    /// <summary>Gets Office 365: <c>smtp.office365.com</c>, port 587, STARTTLS, Basic or OAuth2.</summary>
    public static ISmtpProviderTemplate Office365 { get; } = new SmtpProviderTemplate
    {
        Id = Office365Id,
        DisplayName = "Office 365",
        Host = "smtp.office365.com",
        Port = 587,
        Security = SmtpSecurity.StartTls,
        MinimumTlsVersion = SslProtocols.Tls12,
        SupportedAuthentication = [SmtpAuthenticationType.Basic, SmtpAuthenticationType.OAuth2],
        OAuth2 = new SmtpOAuthMetadata
        {
            AuthorizationEndpoint = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize",
            TokenEndpoint = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token",
            Scopes = ["https://outlook.office365.com/SMTP.Send", "offline_access"],
            ClientCredentialsScopes = ["https://outlook.office365.com/.default"],
            ClientType = OAuthClientType.Microsoft,
        },
        HelpLink = new Uri("https://learn.microsoft.com/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth"),
        // Exchange Online: 30 messages a minute per mailbox.
        SendingLimit = new SmtpSendingLimit(30, TimeSpan.FromMinutes(1)),
    };

    /// <summary>
    /// Gets Office 365 through Microsoft Graph: <c>POST https://graph.microsoft.com/v1.0/users/{Username}/sendMail</c>
    /// with OAuth2 only, for tenants where SMTP AUTH is turned off (<c>535 5.7.139</c>). The app registration needs the
    /// Microsoft Graph permission <c>Mail.Send</c>: of type Application for the client-credentials flow (scope
    /// <c>https://graph.microsoft.com/.default</c>), Delegated for "Generate access token" (<c>Mail.Send offline_access</c>).
    /// </summary>
    public static ISmtpProviderTemplate Office365Graph { get; } = new SmtpProviderTemplate
    {
        Id = Office365GraphId,
        DisplayName = "Office 365 (Microsoft Graph)",
        Host = "graph.microsoft.com",
        Port = 443,
        Security = SmtpSecurity.SslOnConnect,
        MinimumTlsVersion = SslProtocols.Tls12,
        SupportedAuthentication = [SmtpAuthenticationType.OAuth2],
        Transport = MailTransport.MicrosoftGraph,
        OAuth2 = new SmtpOAuthMetadata
        {
            AuthorizationEndpoint = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize",
            TokenEndpoint = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token",
            Scopes = ["https://graph.microsoft.com/Mail.Send", "offline_access"],
            ClientCredentialsScopes = ["https://graph.microsoft.com/.default"],
            ClientType = OAuthClientType.Microsoft,
        },
        HelpLink = new Uri("https://learn.microsoft.com/graph/api/user-sendmail"),
        // Exchange Online: 30 messages a minute per mailbox, whichever way they are submitted.
        SendingLimit = new SmtpSendingLimit(30, TimeSpan.FromMinutes(1)),
    };

    /// <summary>Gets SendGrid: <c>smtp.sendgrid.net</c>, port 465, implicit TLS, Basic with user name <c>apikey</c>.</summary>
    public static ISmtpProviderTemplate SendGrid { get; } = new SmtpProviderTemplate
    {
        Id = SendGridId,
        DisplayName = "SendGrid",
        Host = "smtp.sendgrid.net",
        Port = 465,
        Security = SmtpSecurity.SslOnConnect,
        MinimumTlsVersion = SslProtocols.Tls12,
        SupportedAuthentication = [SmtpAuthenticationType.Basic],
        FixedUsername = "apikey",
        HelpLink = new Uri("https://www.twilio.com/docs/sendgrid/for-developers/sending-email/integrating-with-the-smtp-api"),
    };

    /// <summary>Gets Custom: host, port, security, authentication and OAuth2 endpoints all set by the user.</summary>
    public static ISmtpProviderTemplate Custom { get; } = new SmtpProviderTemplate
    {
        Id = CustomId,
        DisplayName = "Custom",
        AllowsCustomConnection = true,
        MinimumTlsVersion = SslProtocols.Tls12,
        SupportedAuthentication = [SmtpAuthenticationType.None, SmtpAuthenticationType.Basic, SmtpAuthenticationType.OAuth2],
    };

    /// <summary>Gets the built-in templates, in the order a drop-down shows them.</summary>
    public static IReadOnlyList<ISmtpProviderTemplate> BuiltIn { get; } = [Google, Office365, Office365Graph, SendGrid, Custom];
}
