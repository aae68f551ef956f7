using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.Sending;

/// <summary>
/// Mail sent through a real proxy on 127.0.0.1 (HTTP CONNECT and SOCKS5): the SMTP conversation goes through the
/// proxy's tunnel, and a proxy that fails is named as the problem, never the SMTP server, without its password.
/// </summary>
public sealed class ProxyTests : IClassFixture<BasicAuthSmtpServerFixture>, IAsyncLifetime
{
    private const string User = BasicAuthSmtpServerFixture.User;
    private const string Password = BasicAuthSmtpServerFixture.Password;
    private const string ProxyUser = "relay-user";
    private const string Recipient = "someone@example.com";
    private readonly BasicAuthSmtpServerFixture _fixture;

    public ProxyTests(BasicAuthSmtpServerFixture fixture)
    {
        _fixture = fixture;
    }

    private SmtpTestServer SmtpServer => _fixture.Server;

    private string SmtpEndpoint => $"127.0.0.1:{SmtpServer.Port}";

    public ValueTask InitializeAsync() => new(SmtpServer.ResetAsync(TestContext.Current.CancellationToken));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Theory]
    [InlineData(ProxyTestProtocol.Http, false)]
    [InlineData(ProxyTestProtocol.Http, true)]
    [InlineData(ProxyTestProtocol.Socks5, false)]
    [InlineData(ProxyTestProtocol.Socks5, true)]
    public async Task SendTestMailAsync_ThroughProxy_DeliversThroughOneTunnelToTheSmtpServer(ProxyTestProtocol protocol, bool withCredentials)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        var proxyPassword = SecretAssert.NewMarkerPassword();
        await using var proxy = ProxyTestServer.Start(new ProxyTestServerOptions
        {
            Protocol = protocol,
            Username = withCredentials ? ProxyUser : null,
            Password = withCredentials ? proxyPassword : null,
        });
        await using var mail = ThroughProxy(proxy, TypeOf(protocol), withCredentials ? ProxyUser : null, withCredentials ? proxyPassword : null);

        // Act
        var sent = await mail.Mailer.SendTestMailAsync(Recipient, cancellationToken: ct);

        // Assert
        var received = Assert.Single(await SmtpServer.GetMessagesAsync(ct));
        Assert.Equal(sent.MessageId, received.Message.MessageId);
        Assert.Equal(User, received.AuthenticatedUser);
        Assert.True(received.Secure);

        var tunnel = Assert.Single(proxy.Tunnels);
        Assert.Equal(SmtpEndpoint, tunnel.Target);
        Assert.Equal(withCredentials ? ProxyUser : null, tunnel.Username);
        // The whole conversation, the message included (encrypted after STARTTLS), went through the tunnel.
        Assert.True(tunnel.BytesToTarget > received.Size, $"{tunnel} carried less than the {received.Size}-byte message");
        Assert.True(tunnel.BytesToClient > 0, tunnel.ToString());
        Assert.Equal(1, proxy.AcceptedConnections);
        Assert.Equal(0, proxy.AuthenticationFailures);
        Assert.Empty(proxy.RefusedTargets);
        Assert.Equal(1, (await SmtpServer.GetStatsAsync(ct)).Connections);

        var connecting = Assert.Single(mail.Logs.Collector.GetSnapshot(), r => r.Id.Name == "ConnectingThroughProxy");
        Assert.Contains(proxy.Endpoint, connecting.Message, StringComparison.Ordinal);
        SecretAssert.NotIn(mail.Logs.Collector, proxyPassword, ProxyUser);
    }

    [Theory]
    [InlineData(ProxyTestProtocol.Http)]
    [InlineData(ProxyTestProtocol.Socks5)]
    public async Task SendTestMailAsync_ProxyAndHostName_LeavesTheNameForTheProxyToResolve(ProxyTestProtocol protocol)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var proxy = ProxyTestServer.Start(new ProxyTestServerOptions { Protocol = protocol });
        await using var mail = ThroughProxy(proxy, TypeOf(protocol), configure: o => o.Host = "localhost");

        // Act
        await mail.Mailer.SendTestMailAsync(Recipient, cancellationToken: ct);

        // Assert: SOCKS5 sends the name as a domain-name address, HTTP in the CONNECT line.
        Assert.Single(await SmtpServer.GetMessagesAsync(ct));
        Assert.Equal($"localhost:{SmtpServer.Port}", Assert.Single(proxy.Tunnels).Target);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public async Task SendTestMailAsync_ProxyHostBlank_SendsWithoutAProxy(string host)
    {
        // Arrange: validation takes a blank host with nothing else set as "no proxy"; so must sending.
        var ct = TestContext.Current.CancellationToken;
        await using var mail = TestMailer.For(SmtpServer, o =>
        {
            Basic(o);
            o.Proxy = new SmtpProxyOptions { Type = SmtpProxyType.Http, Host = host };
        });

        // Act
        var sent = await mail.Mailer.SendTestMailAsync(Recipient, cancellationToken: ct);

        // Assert
        Assert.Equal(sent.MessageId, Assert.Single(await SmtpServer.GetMessagesAsync(ct)).Message.MessageId);
        Assert.DoesNotContain(mail.Logs.Collector.GetSnapshot(), r => r.Id.Name == "ConnectingThroughProxy");
    }

    private static SmtpProxyType TypeOf(ProxyTestProtocol protocol) =>
        protocol == ProxyTestProtocol.Socks5 ? SmtpProxyType.Socks5 : SmtpProxyType.Http;

    private static string DisplayName(SmtpProxyType type) => type switch
    {
        SmtpProxyType.Socks5 => "SOCKS5",
        SmtpProxyType.Socks4 => "SOCKS4",
        SmtpProxyType.Https => "HTTPS",
        _ => "HTTP",
    };

    private static void Basic(SystemMailOptions options)
    {
        options.Authentication = SmtpAuthenticationType.Basic;
        options.Username = User;
        options.Password = Password;
    }

    private TestMailer ThroughProxy(ProxyTestServer proxy, SmtpProxyType type, string? username = null, string? password = null, Action<SystemMailOptions>? configure = null) =>
        TestMailer.For(SmtpServer, o =>
        {
            Basic(o);
            o.Proxy = new SmtpProxyOptions { Type = type, Host = proxy.Host, Port = proxy.Port, Username = username, Password = password };
            configure?.Invoke(o);
        });
}
