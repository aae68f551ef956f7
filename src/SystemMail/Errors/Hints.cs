namespace SystemMail;

/// <summary>The one place the administrator-facing hints are written.</summary>
internal static class Hints
{
    public static string GoogleCredentials =>
        "Google refused the user name and password: sign in with an app password (turn on 2-Step Verification, then create one at myaccount.google.com/apppasswords), not the account password, or use OAuth2.";

    public static string Office365AuthDisabled =>
        "Office 365 refused SMTP AUTH for this mailbox: enable 'Authenticated SMTP' for the user in the Microsoft 365 admin center (Mail > Manage email apps) and make sure Azure AD security defaults do not block SMTP AUTH.";

    public static string SendGridCredentials =>
        "SendGrid refused the login: the user name must be 'apikey' and the password an API key with 'Mail Send' permission.";

    public static string SendGridSenderIdentity =>
        "SendGrid refused the From address: verify it as a Sender Identity (single sender or domain authentication) in SendGrid, then send again.";

    public static string WrongCredentials =>
        "The server refused the user name or password: check Username and Password (many providers need an app password or an API key).";

    public static string AuthNotOffered(string endpoint, SmtpSecurity security) => security == SmtpSecurity.None
        ? $"The server at {endpoint} offers no AUTH on a plain connection: set Security to StartTls (most servers offer AUTH only after STARTTLS), or Authentication to None for an open relay."
        : $"The server at {endpoint} offers no authentication: set Authentication to None if it is an open relay, or check Host and Port.";

    public static string StartTlsNotOffered(string endpoint) =>
        $"The server at {endpoint} does not offer STARTTLS: if the port expects implicit TLS (usually 465), set Security to SslOnConnect; use None only on a trusted network.";

    public static string StartTlsRequired =>
        "The server requires STARTTLS before this command: set Security to StartTls.";

    public static string ImplicitTlsAgainstPlainPort(string endpoint) =>
        $"The server at {endpoint} answered in plain text, not TLS: this port expects STARTTLS (usually 587) or no TLS. Set Security to StartTls, or use the implicit-TLS port (usually 465).";

    public static string PlainAgainstImplicitTlsPort(string endpoint) =>
        $"The server at {endpoint} speaks TLS from the first byte (implicit TLS) and sent no plain greeting: set Security to SslOnConnect, or use the STARTTLS port (usually 587).";

    public static string CertificateUntrusted(string endpoint) =>
        $"The certificate of {endpoint} is not trusted or does not match the host name: use the host name the certificate was issued for, or trust the server's certificate authority on this machine.";

    public static string TlsVersion(string endpoint) =>
        $"No TLS version is acceptable to both ends at {endpoint}: the server may only offer TLS 1.0/1.1, which are deprecated; upgrade the server or, for a custom provider, lower MinimumTlsVersion.";

    public static string TlsFailed(string endpoint) =>
        $"The TLS handshake with {endpoint} failed: check that Port and Security belong together (465 = SslOnConnect, 587 = StartTls).";

    public static string HostNotFound(string host) =>
        $"The host name '{host}' could not be resolved: check Host and this machine's DNS.";

    public static string ConnectionRefused(string endpoint) =>
        $"Nothing accepts connections at {endpoint}: check Host and Port, and whether a firewall rejects the port.";

    public static string ConnectTimeout(string endpoint) =>
        $"No answer from {endpoint} in time: the port may be blocked by the hosting provider or a firewall (many block 25 and 465; try 587 or 2525), or the server is down.";

    public static string CommandTimeout(string endpoint) =>
        $"The server at {endpoint} stopped answering: try again; if it keeps happening, raise Timeout or check the server.";

    public static string ConnectionLost(string endpoint) =>
        $"The connection to {endpoint} was closed unexpectedly: try again; if it keeps happening, check the server's connection and rate limits.";

    public static string SenderRejected(string from) =>
        $"The server does not let this account send as '{from}': set From to the authenticated mailbox or an address it may send as.";

    public static string RecipientRejected =>
        "The server refused the recipient: check the address; the mailbox may not exist or the server may not relay to it.";

    public static string MessageRejected =>
        "The server refused the message: check its size and the provider's content and policy rules.";

    public static string Transient =>
        "The server reported a temporary failure: the same mail may succeed if sent again later.";

    public static string InvalidSettings =>
        "Fix the SystemMail settings named above.";

    public static string Unknown =>
        "See the inner exception for details.";

    public static string GenerateAccessToken =>
        "Click 'Generate access token' in the mail server settings and consent with the sending mailbox.";

    public static string RegenerateAccessToken =>
        "Click 'Generate access token' again and consent with the sending mailbox. (Google: refresh tokens of apps in 'Testing' publishing status expire after 7 days; publish the app to keep them.)";

    public static string TokenEndpointUnavailable(string host) =>
        $"The token endpoint at {host} is unavailable; SystemMail keeps the stored tokens and the mail may succeed if sent again later.";

    public static string AuthorizationStateInvalid =>
        "Start again with 'Generate access token': the consent page must be opened from the settings page, within a few minutes, and only once.";

    public static string AuthorizationRefused =>
        "Consent was not given at the provider: click 'Generate access token' again and accept the requested permissions with the sending mailbox.";

    public static string CodeExchangeFailed =>
        "The provider refused the authorization code: check the client ID, the client secret and that the redirect URI registered at the provider equals the one shown on the settings page.";

    public static string OAuth2TokenRefused =>
        "The server refused the OAuth2 access token: check that the app has permission to send mail (Google: scope https://mail.google.com/; Office 365: SMTP.Send) and that Username is the mailbox that consented.";

    public static string Throttled(TimeSpan retryAfter) =>
        $"Send again after {Math.Ceiling(retryAfter.TotalSeconds):0} s, or raise the provider's limit (RateLimit.PermitLimit) if your plan allows more; a longer RateLimit.QueueTimeout lets mails wait instead of failing.";
}
