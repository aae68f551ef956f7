using System.Text.Json.Serialization;

namespace SystemMail;

/// <summary>
/// A stage of an SMTP conversation that a <see cref="SmtpDiagnosticReport"/> times and judges; with the Microsoft Graph
/// transport, <see cref="Settings"/>, <see cref="Token"/> and <see cref="GraphSend"/>.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<SmtpDiagnosticStage>))]
public enum SmtpDiagnosticStage
{
    /// <summary>The settings are checked (and, for unsaved settings, stored secrets filled in) before any connection.</summary>
    Settings = 0,

    /// <summary>The host name is resolved to IP addresses (skipped for an IP address or a proxy, which resolves itself).</summary>
    ResolveHost = 1,

    /// <summary>A TCP connection is opened to the server, or through the proxy.</summary>
    Connect = 2,

    /// <summary>The TLS handshake: right after connecting for implicit TLS, after <c>STARTTLS</c> otherwise.</summary>
    Tls = 3,

    /// <summary>The server's <c>220</c> greeting.</summary>
    Greeting = 4,

    /// <summary><c>EHLO</c> and the capabilities the server lists; with STARTTLS it runs again after the handshake.</summary>
    Ehlo = 5,

    /// <summary><c>AUTH</c> with the mechanism SystemMail chose (PLAIN, LOGIN, XOAUTH2…), the OAuth2 token included.</summary>
    Authenticate = 6,

    /// <summary><c>MAIL FROM</c>: the server accepts the sender.</summary>
    MailFrom = 7,

    /// <summary><c>RCPT TO</c>: the server accepts the recipient.</summary>
    RcptTo = 8,

    /// <summary><c>DATA</c>: the server accepts the message.</summary>
    Data = 9,

    /// <summary>Microsoft Graph: an OAuth2 access token is obtained (client credentials, or the stored delegated tokens).</summary>
    Token = 10,

    /// <summary>Microsoft Graph: the message is posted to the mailbox's <c>sendMail</c> and accepted (<c>202</c>).</summary>
    GraphSend = 11,
}
