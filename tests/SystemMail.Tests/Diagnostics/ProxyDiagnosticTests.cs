using System.Globalization;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.Diagnostics;

/// <summary>
/// "Test connection" and "Send test email" through a real proxy on 127.0.0.1: the host name is left to the proxy,
/// the Connect stage is the proxy's tunnel, and a proxy that fails fails that stage with a hint that names the proxy.
/// </summary>
public sealed class ProxyDiagnosticTests : IClassFixture<BasicAuthSmtpServerFixture>, IAsyncLifetime
{
    private const string User = BasicAuthSmtpServerFixture.User;
    private const string Password = BasicAuthSmtpServerFixture.Password;
    private const string ProxyUser = "relay-user";
    private readonly BasicAuthSmtpServerFixture _fixture;

    public ProxyDiagnosticTests(BasicAuthSmtpServerFixture fixture)
    {
        _fixture = fixture;
    }

    private SmtpTestServer SmtpServer => _fixture.Server;

    private string SmtpEndpoint => $"127.0.0.1:{SmtpServer.Port}";

    public ValueTask InitializeAsync() => new(SmtpServer.ResetAsync(TestContext.Current.CancellationToken));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task TestConnectionAsync_ThroughHttpProxyWithCredentials_RunsEveryStageThroughTheProxysTunnel()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        var proxyPassword = SecretAssert.NewMarkerPassword();
        await using var proxy = ProxyTestServer.Start(new ProxyTestServerOptions { Protocol = ProxyTestProtocol.Http, Username = ProxyUser, Password = proxyPassword });
        await using var mail = ThroughProxy(proxy, SmtpProxyType.Http, ProxyUser, proxyPassword);

        // Act
        var report = await mail.Diagnostics().TestConnectionAsync(CultureInfo.InvariantCulture, ct);

        // Assert
        Assert.True(report.Succeeded, report.ToString());
        Assert.Equal(
            [
                SmtpDiagnosticStage.Settings, SmtpDiagnosticStage.ResolveHost, SmtpDiagnosticStage.Connect, SmtpDiagnosticStage.Greeting,
                SmtpDiagnosticStage.Ehlo, SmtpDiagnosticStage.Tls, SmtpDiagnosticStage.Ehlo, SmtpDiagnosticStage.Authenticate,
            ],
            report.Steps.Select(s => s.Stage));
        var resolve = report.Steps[1];
        Assert.Equal(SmtpDiagnosticOutcome.Skipped, resolve.Outcome);
        Assert.Equal($"resolved by the proxy {proxy.Endpoint}", resolve.Detail);
        var connect = report.Steps[2];
        Assert.Equal(SmtpDiagnosticOutcome.Succeeded, connect.Outcome);
        Assert.Equal($"through the proxy {proxy.Endpoint}", connect.Detail);
        Assert.All(report.Steps.Skip(2), s => Assert.Equal(SmtpDiagnosticOutcome.Succeeded, s.Outcome));
        Assert.StartsWith("localhost ESMTP", report.Greeting, StringComparison.Ordinal);
        Assert.Equal("PLAIN", report.AuthenticationMechanism);
        Assert.True(report.Tls?.CertificateAccepted);

        var tunnel = Assert.Single(proxy.Tunnels);
        Assert.Equal(SmtpEndpoint, tunnel.Target);
        Assert.Equal(ProxyUser, tunnel.Username);
        // The diagnostic quits and closes its connection: the tunnel closes with it.
        await proxy.WaitForTunnelsClosedAsync(TimeSpan.FromSeconds(5), ct);
        var stats = await SmtpServer.WaitForStatsAsync(s => s.OpenConnections == 0, TimeSpan.FromSeconds(5), ct);
        Assert.Equal(1, stats.Connections);
        Assert.Equal(1, stats.CommandCount("QUIT"));

        TranscriptAssert.NoPassword(report, proxyPassword, ProxyUser);
        SecretAssert.NotIn(mail.Logs.Collector, proxyPassword, ProxyUser);
    }

    [Fact]
    public async Task SendTestMailAsync_ThroughSocks5Proxy_DeliversAndReportsEveryStage()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var proxy = ProxyTestServer.Start(new ProxyTestServerOptions { Protocol = ProxyTestProtocol.Socks5 });
        await using var mail = ThroughProxy(proxy, SmtpProxyType.Socks5);

        // Act
        var report = await mail.Diagnostics().SendTestMailAsync("someone@example.com", CultureInfo.InvariantCulture, ct);

        // Assert
        Assert.True(report.Succeeded, report.ToString());
        Assert.Equal(SmtpDiagnosticOutcome.Skipped, report.Steps.Single(s => s.Stage == SmtpDiagnosticStage.ResolveHost).Outcome);
        Assert.Equal($"through the proxy {proxy.Endpoint}", report.Steps.Single(s => s.Stage == SmtpDiagnosticStage.Connect).Detail);
        Assert.Equal(
            [SmtpDiagnosticStage.Authenticate, SmtpDiagnosticStage.MailFrom, SmtpDiagnosticStage.RcptTo, SmtpDiagnosticStage.Data],
            report.Steps.TakeLast(4).Select(s => s.Stage));
        Assert.All(report.Steps.Skip(2), s => Assert.Equal(SmtpDiagnosticOutcome.Succeeded, s.Outcome));

        var received = Assert.Single(await SmtpServer.GetMessagesAsync(ct));
        Assert.Equal(report.MessageId, received.Message.MessageId);
        var tunnel = Assert.Single(proxy.Tunnels);
        Assert.Equal(SmtpEndpoint, tunnel.Target);
        Assert.True(tunnel.BytesToTarget > received.Size, tunnel.ToString());
    }

    [Fact]
    public async Task TestConnectionAsync_UnsavedSettingsWithBlankProxyPasswordForTheSavedProxy_UsesTheStoredProxyPassword()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        var proxyPassword = SecretAssert.NewMarkerPassword();
        await using var proxy = ProxyTestServer.Start(new ProxyTestServerOptions { Protocol = ProxyTestProtocol.Socks5, Username = ProxyUser, Password = proxyPassword });
        await using var mail = ThroughProxy(proxy, SmtpProxyType.Socks5, ProxyUser, proxyPassword);
        var form = Form(new SmtpProxyOptions { Type = SmtpProxyType.Socks5, Host = proxy.Host, Port = proxy.Port, Username = ProxyUser });

        // Act
        var report = await mail.Diagnostics().TestConnectionAsync(form, CultureInfo.InvariantCulture, ct);

        // Assert
        Assert.True(report.Succeeded, report.ToString());
        Assert.Equal(["Proxy.Password"], report.StoredSecretsUsed);
        Assert.Equal(ProxyUser, Assert.Single(proxy.Tunnels).Username);
        Assert.Equal(0, proxy.AuthenticationFailures);
    }

    [Fact]
    public async Task TestConnectionAsync_UnsavedSettingsWithBlankPasswordForAnotherProxy_NeverSendsTheStoredProxyPasswordThere()
    {
        // Arrange: the form points at another proxy, which would learn the stored password if it were filled in.
        var ct = TestContext.Current.CancellationToken;
        var proxyPassword = SecretAssert.NewMarkerPassword();
        await using var saved = ProxyTestServer.Start(new ProxyTestServerOptions { Protocol = ProxyTestProtocol.Socks5, Username = ProxyUser, Password = proxyPassword });
        await using var other = ProxyTestServer.Start(new ProxyTestServerOptions { Protocol = ProxyTestProtocol.Socks5, Username = ProxyUser, Password = proxyPassword });
        await using var mail = ThroughProxy(saved, SmtpProxyType.Socks5, ProxyUser, proxyPassword);
        var form = Form(new SmtpProxyOptions { Type = SmtpProxyType.Socks5, Host = other.Host, Port = other.Port, Username = ProxyUser });

        // Act
        var report = await mail.Diagnostics().TestConnectionAsync(form, CultureInfo.InvariantCulture, ct);

        // Assert: the other proxy takes the same password, so it would have opened a tunnel had it been sent.
        DiagnosticAssert.FailedAt(report, SmtpDiagnosticStage.Connect, SystemMailErrorKind.Authentication, nameof(Hints.ProxyCredentialsRefused));
        Assert.Equal(Hints.ProxyCredentialsRefused(other.Endpoint).Text(null), report.Hint);
        Assert.Empty(report.StoredSecretsUsed);
        Assert.Equal(1, other.AuthenticationFailures);
        Assert.Empty(other.Tunnels);
        Assert.Equal(0, saved.AcceptedConnections);
        Assert.Contains(mail.Logs.Collector.GetSnapshot(), r => r.Id.Name == "StoredSecretNotReused" && r.Message.Contains("Proxy.Password", StringComparison.Ordinal));
        SecretAssert.NotIn(mail.Logs.Collector, proxyPassword, ProxyUser);
        TranscriptAssert.NoPassword(report, proxyPassword, ProxyUser);
    }

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

    /// <summary>A settings form's values for the test server, with the mailbox password typed in and the given proxy.</summary>
    private Action<SystemMailOptions> Form(SmtpProxyOptions proxy) => o =>
    {
        o.From = TestMailer.Sender;
        o.Provider = "custom";
        o.Host = SmtpServer.Host;
        o.Port = SmtpServer.Port;
        o.Security = SmtpSecurity.StartTls;
        o.Authentication = SmtpAuthenticationType.Basic;
        o.Username = User;
        o.Password = Password;
        o.Timeout = TimeSpan.FromSeconds(10);
        o.Proxy = proxy;
    };
}
