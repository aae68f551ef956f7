namespace SystemMail.Tests.Infrastructure;

/// <summary>The protocol a <see cref="ProxyTestServer"/> speaks on its port.</summary>
public enum ProxyTestProtocol
{
    /// <summary>An HTTP proxy reached with <c>CONNECT host:port</c> (RFC 9110, 9.3.6), optionally with Basic <c>Proxy-Authorization</c>.</summary>
    Http,

    /// <summary>A SOCKS version 5 proxy (RFC 1928), optionally with username/password authentication (RFC 1929).</summary>
    Socks5,
}
