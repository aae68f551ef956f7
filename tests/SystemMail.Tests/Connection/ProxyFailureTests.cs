using System.Globalization;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.Connection;

/// <summary>
/// A proxy that fails, sent and diagnosed alike (a real proxy on 127.0.0.1, HTTP CONNECT and SOCKS5): the proxy is
/// named as the problem, never the SMTP server, the failure is the Connect stage's, and its password is nowhere.
/// </summary>
public sealed class ProxyFailureTests : IClassFixture<BasicAuthSmtpServerFixture>, IAsyncLifetime
{
    private const string ProxyUser = "relay-user";
    private readonly BasicAuthSmtpServerFixture _fixture;

    public ProxyFailureTests(BasicAuthSmtpServerFixture fixture)
    {
        _fixture = fixture;
    }

    private SmtpTestServer SmtpServer => _fixture.Server;

    private string SmtpEndpoint => $"127.0.0.1:{SmtpServer.Port}";

    public ValueTask InitializeAsync() => new(SmtpServer.ResetAsync(TestContext.Current.CancellationToken));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Theory]
    [InlineData(EntryPoint.Send, ProxyTestProtocol.Http)]
    [InlineData(EntryPoint.Send, ProxyTestProtocol.Socks5)]
    [InlineData(EntryPoint.Diagnostic, ProxyTestProtocol.Http)]
    [InlineData(EntryPoint.Diagnostic, ProxyTestProtocol.Socks5)]
    public async Task ConnectAsync_WrongProxyPassword_FailsNamingTheProxyWithoutThePassword(EntryPoint entryPoint, ProxyTestProtocol protocol)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        var wrongPassword = SecretAssert.NewMarkerPassword();
        await using var proxy = ProxyTestServer.Start(new ProxyTestServerOptions { Protocol = protocol, Username = ProxyUser, Password = "the-proxy-password" });
        await using var mail = ThroughProxy(proxy, TypeOf(protocol), ProxyUser, wrongPassword);

        // Act
        var failure = await ConnectionFailure.ProvokeAsync(mail, entryPoint, CultureInfo.GetCultureInfo("zh-CN"));

        // Assert
        failure.Is(SystemMailErrorKind.Authentication, Hints.ProxyCredentialsRefused(proxy.Endpoint), SmtpDiagnosticStage.Connect);
        Assert.Contains($"proxy at {proxy.Endpoint}", failure.Summary, StringComparison.Ordinal);
        Assert.Contains(ProxyUser, failure.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain(SmtpEndpoint, failure.Summary, StringComparison.Ordinal);
        Assert.Null(failure.StatusCode);

        Assert.Equal(1, proxy.AuthenticationFailures);
        Assert.Empty(proxy.Tunnels);
        var stats = await SmtpServer.GetStatsAsync(ct);
        Assert.Equal(0, stats.Connections);
        Assert.Empty(stats.AuthAttempts);

        failure.HasNoSecret(wrongPassword, ProxyUser);
        SecretAssert.NotIn(mail.Logs.Collector, wrongPassword, ProxyUser);
        if (failure.Exception is { } ex)
        {
            Assert.DoesNotContain(SmtpEndpoint, ex.Message, StringComparison.Ordinal);
            Assert.Same(ex, Assert.Single(mail.Logs.Collector.GetSnapshot(), r => r.Id.Name == "MailFailed").Exception);
        }

        if (failure.Report is { } report)
        {
            // The SMTP server was never reached: no reply, no greeting, no capabilities; the proxy was to resolve the name.
            Assert.Equal("zh-Hans", report.HintLanguage);
            Assert.Equal(SmtpDiagnosticOutcome.Skipped, report.Steps[1].Outcome);
            Assert.Null(report.ServerReply);
            Assert.Null(report.Greeting);
            Assert.Empty(report.Capabilities);
        }
    }

    [Theory]
    [InlineData(EntryPoint.Send, ProxyTestProtocol.Http)]
    [InlineData(EntryPoint.Send, ProxyTestProtocol.Socks5)]
    [InlineData(EntryPoint.Diagnostic, ProxyTestProtocol.Http)]
    [InlineData(EntryPoint.Diagnostic, ProxyTestProtocol.Socks5)]
    public async Task ConnectAsync_ProxyRequiresCredentialsButNoneSet_FailsAskingForThem(EntryPoint entryPoint, ProxyTestProtocol protocol)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var proxy = ProxyTestServer.Start(new ProxyTestServerOptions { Protocol = protocol, Username = ProxyUser, Password = "the-proxy-password" });
        await using var mail = ThroughProxy(proxy, TypeOf(protocol));

        // Act
        var failure = await ConnectionFailure.ProvokeAsync(mail, entryPoint);

        // Assert
        failure.Is(SystemMailErrorKind.Authentication, Hints.ProxyCredentialsRequired(proxy.Endpoint), SmtpDiagnosticStage.Connect);
        Assert.Contains(proxy.Endpoint, failure.Summary, StringComparison.Ordinal);
        Assert.Equal(1, proxy.AuthenticationFailures);
        Assert.Equal(0, (await SmtpServer.GetStatsAsync(ct)).Connections);
    }

    [Theory]
    [InlineData(EntryPoint.Send, SmtpProxyType.Http)]
    [InlineData(EntryPoint.Send, SmtpProxyType.Https)]
    [InlineData(EntryPoint.Send, SmtpProxyType.Socks5)]
    [InlineData(EntryPoint.Send, SmtpProxyType.Socks4)]
    [InlineData(EntryPoint.Diagnostic, SmtpProxyType.Http)]
    [InlineData(EntryPoint.Diagnostic, SmtpProxyType.Https)]
    [InlineData(EntryPoint.Diagnostic, SmtpProxyType.Socks5)]
    [InlineData(EntryPoint.Diagnostic, SmtpProxyType.Socks4)]
    public async Task ConnectAsync_ProxyNotListening_FailsNamingTheProxy(EntryPoint entryPoint, SmtpProxyType type)
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
        var failure = await ConnectionFailure.ProvokeAsync(mail, entryPoint);

        // Assert
        failure.Is(SystemMailErrorKind.Connection, Hints.ProxyConnectionRefused($"127.0.0.1:{proxyPort}"), SmtpDiagnosticStage.Connect);
        Assert.Equal($"The connection to the {DisplayName(type)} proxy at 127.0.0.1:{proxyPort} was refused.", failure.Summary);
        Assert.Null(failure.Report?.RemoteEndPoint);
        Assert.Equal(0, mail.Pool.OpenConnections);
        Assert.Equal(0, (await SmtpServer.GetStatsAsync(ct)).Connections);
        failure.HasNoSecret(proxyPassword, ProxyUser);
        SecretAssert.NotIn(mail.Logs.Collector, proxyPassword, ProxyUser);
    }

    [Theory]
    [InlineData(EntryPoint.Send)]
    [InlineData(EntryPoint.Diagnostic)]
    public async Task ConnectAsync_ProxyNeverAnswers_FailsWithTimeoutNamingTheProxy(EntryPoint entryPoint)
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
        var failure = await ConnectionFailure.ProvokeAsync(mail, entryPoint);

        // Assert
        failure.Is(SystemMailErrorKind.Timeout, Hints.ProxyTimeout($"127.0.0.1:{silent.Port}", SmtpEndpoint), SmtpDiagnosticStage.Connect);
        Assert.Contains($"proxy at 127.0.0.1:{silent.Port}", failure.Summary, StringComparison.Ordinal);
        Assert.Equal(1, silent.AcceptedConnections);
        Assert.Equal(0, (await SmtpServer.GetStatsAsync(ct)).Connections);
    }

    [Theory]
    [InlineData(EntryPoint.Send, ProxyTestProtocol.Http, "502 Bad Gateway")]
    [InlineData(EntryPoint.Send, ProxyTestProtocol.Socks5, "Connection refused")]
    [InlineData(EntryPoint.Diagnostic, ProxyTestProtocol.Http, "502 Bad Gateway")]
    [InlineData(EntryPoint.Diagnostic, ProxyTestProtocol.Socks5, "Connection refused")]
    public async Task ConnectAsync_ProxyCannotReachTheSmtpServer_FailsNamingProxyAndServer(EntryPoint entryPoint, ProxyTestProtocol protocol, string proxyAnswer)
    {
        // Arrange
        var closedPort = TcpPorts.GetUnusedPort();
        await using var proxy = ProxyTestServer.Start(new ProxyTestServerOptions { Protocol = protocol });
        await using var mail = ThroughProxy(proxy, TypeOf(protocol), configure: o => o.Port = closedPort);

        // Act
        var failure = await ConnectionFailure.ProvokeAsync(mail, entryPoint);

        // Assert
        failure.Is(SystemMailErrorKind.Connection, Hints.ProxyRefusedTarget(proxy.Endpoint, $"127.0.0.1:{closedPort}"), SmtpDiagnosticStage.Connect);
        Assert.Contains(proxy.Endpoint, failure.Summary, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{closedPort}", failure.Summary, StringComparison.Ordinal);
        Assert.Contains(proxyAnswer, failure.Summary, StringComparison.Ordinal);
        Assert.Equal([$"127.0.0.1:{closedPort}"], proxy.RefusedTargets);
        Assert.Empty(proxy.Tunnels);
    }

    [Theory]
    [InlineData(EntryPoint.Send, ProxyTestProtocol.Http, "403 Forbidden")]
    [InlineData(EntryPoint.Send, ProxyTestProtocol.Socks5, "Connection not allowed")]
    [InlineData(EntryPoint.Diagnostic, ProxyTestProtocol.Http, "403 Forbidden")]
    [InlineData(EntryPoint.Diagnostic, ProxyTestProtocol.Socks5, "Connection not allowed")]
    public async Task ConnectAsync_ProxyRulesForbidTheSmtpPort_FailsWithConfigurationNamingProxyAndServer(EntryPoint entryPoint, ProxyTestProtocol protocol, string proxyAnswer)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var proxy = ProxyTestServer.Start(new ProxyTestServerOptions { Protocol = protocol, ForbiddenPorts = new HashSet<int> { SmtpServer.Port } });
        await using var mail = ThroughProxy(proxy, TypeOf(protocol));

        // Act
        var failure = await ConnectionFailure.ProvokeAsync(mail, entryPoint);

        // Assert
        failure.Is(SystemMailErrorKind.Configuration, Hints.ProxyRefusedTarget(proxy.Endpoint, SmtpEndpoint), SmtpDiagnosticStage.Connect);
        Assert.Contains(proxyAnswer, failure.Summary, StringComparison.Ordinal);
        Assert.Equal([SmtpEndpoint], proxy.RefusedTargets);
        Assert.Equal(0, (await SmtpServer.GetStatsAsync(ct)).Connections);
    }

    [Theory]
    [InlineData(EntryPoint.Send, SmtpProxyType.Http, ProxyTestProtocol.Socks5)]
    [InlineData(EntryPoint.Send, SmtpProxyType.Socks5, ProxyTestProtocol.Http)]
    [InlineData(EntryPoint.Diagnostic, SmtpProxyType.Http, ProxyTestProtocol.Socks5)]
    [InlineData(EntryPoint.Diagnostic, SmtpProxyType.Socks5, ProxyTestProtocol.Http)]
    public async Task ConnectAsync_ProxyTypeDoesNotMatchTheProxy_FailsSayingCheckProxyType(EntryPoint entryPoint, SmtpProxyType configured, ProxyTestProtocol actual)
    {
        // Arrange
        await using var proxy = ProxyTestServer.Start(new ProxyTestServerOptions { Protocol = actual });
        await using var mail = ThroughProxy(proxy, configured);

        // Act
        var failure = await ConnectionFailure.ProvokeAsync(mail, entryPoint);

        // Assert
        failure.Is(SystemMailErrorKind.Configuration, Hints.ProxyProtocolMismatch(proxy.Endpoint, DisplayName(configured)), SmtpDiagnosticStage.Connect);
        Assert.Contains("Proxy.Type", failure.Hint, StringComparison.Ordinal);
        Assert.Equal(1, proxy.AcceptedConnections);
        Assert.Empty(proxy.Tunnels);
    }

    [Theory]
    [InlineData(EntryPoint.Send)]
    [InlineData(EntryPoint.Diagnostic)]
    public async Task ConnectAsync_HttpsTypeAgainstPlainHttpProxy_FailsWithTlsNamingTheProxy(EntryPoint entryPoint)
    {
        // Arrange
        await using var proxy = ProxyTestServer.Start(new ProxyTestServerOptions { Protocol = ProxyTestProtocol.Http });
        await using var mail = ThroughProxy(proxy, SmtpProxyType.Https);

        // Act
        var failure = await ConnectionFailure.ProvokeAsync(mail, entryPoint);

        // Assert
        failure.Is(SystemMailErrorKind.Tls, Hints.ProxyTlsFailed(proxy.Endpoint), SmtpDiagnosticStage.Connect);
        Assert.Contains($"proxy at {proxy.Endpoint}", failure.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain(SmtpEndpoint, failure.Summary, StringComparison.Ordinal);
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
        options.Username = BasicAuthSmtpServerFixture.User;
        options.Password = BasicAuthSmtpServerFixture.Password;
    }

    private TestMailer ThroughProxy(ProxyTestServer proxy, SmtpProxyType type, string? username = null, string? password = null, Action<SystemMailOptions>? configure = null) =>
        TestMailer.For(SmtpServer, o =>
        {
            Basic(o);
            o.Proxy = new SmtpProxyOptions { Type = type, Host = proxy.Host, Port = proxy.Port, Username = username, Password = password };
            configure?.Invoke(o);
        });
}
