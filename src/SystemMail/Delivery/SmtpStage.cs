namespace SystemMail;

/// <summary>Where in the SMTP conversation a failure happened.</summary>
internal enum SmtpStage
{
    /// <summary>Resolving the host name to addresses.</summary>
    Resolve,

    /// <summary>Connecting through the proxy, up to the proxy's tunnel to the SMTP server.</summary>
    Proxy,

    /// <summary>Opening the TCP connection to one of the server's addresses.</summary>
    Connect,

    /// <summary>The TLS handshake: at once with implicit TLS, from <c>STARTTLS</c> on otherwise.</summary>
    Tls,

    /// <summary>Waiting for the server's greeting.</summary>
    Greeting,

    /// <summary><c>EHLO</c> (or <c>HELO</c>) and the capabilities, up to the next command.</summary>
    Ehlo,

    Authenticate,
    Send,
}
