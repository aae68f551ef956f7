using System.Globalization;
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

    [Theory]
    [InlineData(ProxyTestProtocol.Http)]
    [InlineData(ProxyTestProtocol.Socks5)]
    public async Task SendTestMailAsync_WrongProxyPassword_ThrowsAuthenticationNamingTheProxyWithoutThePassword(ProxyTestProtocol protocol)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        var wrongPassword = SecretAssert.NewMarkerPassword();
        await using var proxy = ProxyTestServer.Start(new ProxyTestServerOptions { Protocol = protocol, Username = ProxyUser, Password = "the-proxy-password" });
        await using var mail = ThroughProxy(proxy, TypeOf(protocol), ProxyUser, wrongPassword);

        // Act
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => mail.Mailer.SendTestMailAsync(Recipient, cancellationToken: ct));

        // Assert
        Assert.Equal(SystemMailErrorKind.Authentication, ex.Kind);
        Assert.Equal(Hints.ProxyCredentialsRefused(proxy.Endpoint).ToString(), ex.GetHint(CultureInfo.InvariantCulture));
        Assert.Equal(Hints.ProxyCredentialsRefused(proxy.Endpoint).Text(CultureInfo.GetCultureInfo("zh-Hans")), ex.GetHint(CultureInfo.GetCultureInfo("zh-CN")));
        Assert.Contains($"proxy at {proxy.Endpoint}", ex.Message, StringComparison.Ordinal);
        Assert.Contains(ProxyUser, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SmtpEndpoint, ex.Message, StringComparison.Ordinal);
        Assert.Null(ex.StatusCode);
        Assert.False(ex.IsTransient);

        Assert.Equal(1, proxy.AuthenticationFailures);
        Assert.Empty(proxy.Tunnels);
        var stats = await SmtpServer.GetStatsAsync(ct);
        Assert.Equal(0, stats.Connections);
        Assert.Empty(stats.AuthAttempts);

        SecretAssert.NotIn(ex, wrongPassword, ProxyUser);
        var failure = Assert.Single(mail.Logs.Collector.GetSnapshot(), r => r.Id.Name == "MailFailed");
        Assert.Same(ex, failure.Exception);
        SecretAssert.NotIn(mail.Logs.Collector, wrongPassword, ProxyUser);
    }

    [Theory]
    [InlineData(ProxyTestProtocol.Http)]
    [InlineData(ProxyTestProtocol.Socks5)]
    public async Task SendTestMailAsync_ProxyRequiresCredentialsButNoneSet_ThrowsAuthenticationAskingForThem(ProxyTestProtocol protocol)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var proxy = ProxyTestServer.Start(new ProxyTestServerOptions { Protocol = protocol, Username = ProxyUser, Password = "the-proxy-password" });
        await using var mail = ThroughProxy(proxy, TypeOf(protocol));

        // Act
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => mail.Mailer.SendTestMailAsync(Recipient, cancellationToken: ct));

        // Assert
        Assert.Equal(SystemMailErrorKind.Authentication, ex.Kind);
        Assert.Equal(Hints.ProxyCredentialsRequired(proxy.Endpoint).ToString(), ex.GetHint(CultureInfo.InvariantCulture));
        Assert.Contains(proxy.Endpoint, ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, proxy.AuthenticationFailures);
        Assert.Equal(0, (await SmtpServer.GetStatsAsync(ct)).Connections);
    }

    [Theory]
    [InlineData(SmtpProxyType.Http)]
    [InlineData(SmtpProxyType.Https)]
    [InlineData(SmtpProxyType.Socks5)]
    [InlineData(SmtpProxyType.Socks4)]
    public async Task SendTestMailAsync_ProxyNotListening_ThrowsConnectionNamingTheProxy(SmtpProxyType type)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        var proxyPort = TcpPorts.GetUnusedPort();
        var proxyPassword = SecretAssert.NewMarkerPassword();
        await using var mail = TestMailer.For(SmtpServer, o =>
        {
            Basic(o);
            // SOCKS4 carries only a user id: a password with it is refused by the validator.
            o.Proxy = new SmtpProxyOptions { Type = type, Host = "127.0.0.1", Port = proxyPort, Username = ProxyUser, Password = type == SmtpProxyType.Socks4 ? null : proxyPassword };
        });

        // Act
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => mail.Mailer.SendTestMailAsync(Recipient, cancellationToken: ct));

        // Assert
        Assert.Equal(SystemMailErrorKind.Connection, ex.Kind);
        Assert.Equal(Hints.ProxyConnectionRefused($"127.0.0.1:{proxyPort}").ToString(), ex.GetHint(CultureInfo.InvariantCulture));
        Assert.Contains($"proxy at 127.0.0.1:{proxyPort}", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SmtpEndpoint, ex.Message, StringComparison.Ordinal);
        Assert.True(ex.IsTransient);
        Assert.Equal(0, mail.Pool.OpenConnections);
        Assert.Equal(0, (await SmtpServer.GetStatsAsync(ct)).Connections);
        SecretAssert.NotIn(ex, proxyPassword, ProxyUser);
        SecretAssert.NotIn(mail.Logs.Collector, proxyPassword, ProxyUser);
    }

    [Fact]
    public async Task SendTestMailAsync_ProxyNeverAnswers_ThrowsTimeoutNamingTheProxy()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var silent = SilentTcpServer.Start();
        await using var mail = TestMailer.For(SmtpServer, o =>
        {
            Basic(o);
            o.Timeout = TimeSpan.FromSeconds(1.5);
            o.Proxy = new SmtpProxyOptions { Type = SmtpProxyType.Http, Host = "127.0.0.1", Port = silent.Port };
        });

        // Act
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => mail.Mailer.SendTestMailAsync(Recipient, cancellationToken: ct));

        // Assert
        Assert.Equal(SystemMailErrorKind.Timeout, ex.Kind);
        Assert.Equal(Hints.ProxyTimeout($"127.0.0.1:{silent.Port}", SmtpEndpoint).ToString(), ex.GetHint(CultureInfo.InvariantCulture));
        Assert.Contains($"proxy at 127.0.0.1:{silent.Port}", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, silent.AcceptedConnections);
        Assert.Equal(0, (await SmtpServer.GetStatsAsync(ct)).Connections);
    }

    [Theory]
    [InlineData(ProxyTestProtocol.Http, "502 Bad Gateway")]
    [InlineData(ProxyTestProtocol.Socks5, "Connection refused")]
    public async Task SendTestMailAsync_ProxyCannotReachTheSmtpServer_ThrowsConnectionNamingProxyAndServer(ProxyTestProtocol protocol, string proxyAnswer)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        var closedPort = TcpPorts.GetUnusedPort();
        await using var proxy = ProxyTestServer.Start(new ProxyTestServerOptions { Protocol = protocol });
        await using var mail = ThroughProxy(proxy, TypeOf(protocol), configure: o => o.Port = closedPort);

        // Act
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => mail.Mailer.SendTestMailAsync(Recipient, cancellationToken: ct));

        // Assert
        Assert.Equal(SystemMailErrorKind.Connection, ex.Kind);
        Assert.Equal(Hints.ProxyRefusedTarget(proxy.Endpoint, $"127.0.0.1:{closedPort}").ToString(), ex.GetHint(CultureInfo.InvariantCulture));
        Assert.Contains(proxy.Endpoint, ex.Message, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{closedPort}", ex.Message, StringComparison.Ordinal);
        Assert.Contains(proxyAnswer, ex.Message, StringComparison.Ordinal);
        Assert.True(ex.IsTransient);
        Assert.Equal([$"127.0.0.1:{closedPort}"], proxy.RefusedTargets);
        Assert.Empty(proxy.Tunnels);
    }

    [Theory]
    [InlineData(ProxyTestProtocol.Http, "403 Forbidden")]
    [InlineData(ProxyTestProtocol.Socks5, "Connection not allowed")]
    public async Task SendTestMailAsync_ProxyRulesForbidTheSmtpPort_ThrowsConfigurationNamingProxyAndServer(ProxyTestProtocol protocol, string proxyAnswer)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var proxy = ProxyTestServer.Start(new ProxyTestServerOptions { Protocol = protocol, ForbiddenPorts = new HashSet<int> { SmtpServer.Port } });
        await using var mail = ThroughProxy(proxy, TypeOf(protocol));

        // Act
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => mail.Mailer.SendTestMailAsync(Recipient, cancellationToken: ct));

        // Assert
        Assert.Equal(SystemMailErrorKind.Configuration, ex.Kind);
        Assert.Equal(Hints.ProxyRefusedTarget(proxy.Endpoint, SmtpEndpoint).ToString(), ex.GetHint(CultureInfo.InvariantCulture));
        Assert.Contains(proxyAnswer, ex.Message, StringComparison.Ordinal);
        Assert.False(ex.IsTransient);
        Assert.Equal([SmtpEndpoint], proxy.RefusedTargets);
        Assert.Equal(0, (await SmtpServer.GetStatsAsync(ct)).Connections);
    }

    [Theory]
    [InlineData(SmtpProxyType.Http, ProxyTestProtocol.Socks5)]
    [InlineData(SmtpProxyType.Socks5, ProxyTestProtocol.Http)]
    public async Task SendTestMailAsync_ProxyTypeDoesNotMatchTheProxy_ThrowsConfigurationSayingCheckProxyType(SmtpProxyType configured, ProxyTestProtocol actual)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var proxy = ProxyTestServer.Start(new ProxyTestServerOptions { Protocol = actual });
        await using var mail = ThroughProxy(proxy, configured);

        // Act
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => mail.Mailer.SendTestMailAsync(Recipient, cancellationToken: ct));

        // Assert
        Assert.Equal(SystemMailErrorKind.Configuration, ex.Kind);
        Assert.Equal(Hints.ProxyProtocolMismatch(proxy.Endpoint, DisplayName(configured)).ToString(), ex.GetHint(CultureInfo.InvariantCulture));
        Assert.Contains("Proxy.Type", ex.GetHint(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Equal(1, proxy.AcceptedConnections);
        Assert.Empty(proxy.Tunnels);
    }

    [Fact]
    public async Task SendTestMailAsync_HttpsTypeAgainstPlainHttpProxy_ThrowsTlsNamingTheProxy()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var proxy = ProxyTestServer.Start(new ProxyTestServerOptions { Protocol = ProxyTestProtocol.Http });
        await using var mail = ThroughProxy(proxy, SmtpProxyType.Https);

        // Act
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => mail.Mailer.SendTestMailAsync(Recipient, cancellationToken: ct));

        // Assert
        Assert.Equal(SystemMailErrorKind.Tls, ex.Kind);
        Assert.Equal(Hints.ProxyTlsFailed(proxy.Endpoint).ToString(), ex.GetHint(CultureInfo.InvariantCulture));
        Assert.Contains($"proxy at {proxy.Endpoint}", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SmtpEndpoint, ex.Message, StringComparison.Ordinal);
        Assert.Empty(proxy.Tunnels);
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
