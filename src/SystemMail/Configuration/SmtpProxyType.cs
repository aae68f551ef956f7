namespace SystemMail;

/// <summary>The kind of proxy the SMTP connection goes through.</summary>
public enum SmtpProxyType
{
    /// <summary>A SOCKS version 5 proxy.</summary>
    Socks5 = 0,

    /// <summary>A SOCKS version 4a proxy.</summary>
    Socks4 = 1,

    /// <summary>An HTTP proxy reached with <c>CONNECT</c>.</summary>
    Http = 2,

    /// <summary>An HTTP proxy reached over TLS with <c>CONNECT</c>.</summary>
    Https = 3,
}
