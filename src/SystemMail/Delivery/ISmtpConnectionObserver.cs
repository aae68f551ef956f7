using System.Net;
using System.Net.Security;
using System.Security.Authentication;

namespace SystemMail;

/// <summary>
/// Sees what <see cref="SmtpConnector"/> does while it opens one connection, stage by stage, and what the server
/// accepts on it afterwards; the diagnostics time and report these. The pool passes none.
/// </summary>
/// <remarks>
/// An observed connection is a test of the server: when authentication is bound to fail (the OAuth2 token could not
/// be had), the connection is still opened, and fails where it would authenticate, before a word of <c>AUTH</c>.
/// </remarks>
internal interface ISmtpConnectionObserver
{
    /// <summary>The host name goes to DNS.</summary>
    void OnResolving(string host);

    /// <summary>The addresses the connection may use: from DNS, or the host itself when it is an IP address.</summary>
    void OnResolved(IReadOnlyList<IPAddress> addresses, bool hostIsAddress);

    /// <summary>A TCP connection is opened to the first of the addresses that answers.</summary>
    void OnConnecting(IReadOnlyList<IPAddress> addresses, int port);

    /// <summary>The TCP connection stands.</summary>
    void OnConnected(EndPoint remoteEndPoint);

    /// <summary>The proxy is asked for a tunnel to the server; the proxy resolves the host name.</summary>
    void OnConnectingThroughProxy(string proxyEndpoint);

    /// <summary>The proxy's tunnel to the server stands.</summary>
    void OnTunnelOpened(string proxyEndpoint);

    /// <summary>The SMTP conversation starts on the open connection: the TLS handshake first with implicit TLS, else the greeting.</summary>
    void OnConversationStarting();

    /// <summary>Greeting, EHLO and any TLS are done; <paramref name="protocol"/> is <see langword="null"/> on a plain connection.</summary>
    void OnConversationStarted(SslProtocols? protocol, TlsCipherSuite? cipherSuite);

    /// <summary>The server's certificate was validated: its facts and the verdict.</summary>
    void OnCertificateValidated(SmtpTlsInfo certificate);

    void OnAuthenticating();

    /// <summary>Authenticated with <paramref name="mechanism"/> (PLAIN, LOGIN, XOAUTH2…).</summary>
    void OnAuthenticated(string? mechanism);

    /// <summary>The connection failed; <paramref name="failure"/> is what the caller gets.</summary>
    void OnFailed(SystemMailException failure);

    void OnSenderAccepted(SmtpServerReply reply);

    void OnRecipientAccepted(SmtpServerReply reply);
}
