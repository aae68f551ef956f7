using System.Diagnostics;
using System.Globalization;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.Sending;

public sealed class ConnectionFailureTests
{
    private const string User = "mailer@systemmail.test";
    private const string Recipient = "someone@example.com";
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromSeconds(1.5);

    // The wrong-port diagnosis waits out the timeout, then probes with a TLS handshake bounded by the same timeout:
    // long enough for a handshake on a busy two-core machine, short enough to keep the suite fast.
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task SendTestMailAsync_ServerNeverAnswers_ThrowsTimeoutWithinTheTimeout()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var silent = SilentTcpServer.Start();
        await using var mail = TestMailer.Create(o =>
        {
            o.Host = "127.0.0.1";
            o.Port = silent.Port;
            o.Security = SmtpSecurity.StartTls;
            o.Timeout = ShortTimeout;
        });
        var stopwatch = Stopwatch.StartNew();

        // Act
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => mail.Mailer.SendTestMailAsync(Recipient, cancellationToken: ct));

        // Assert
        stopwatch.Stop();
        Assert.Equal(SystemMailErrorKind.Timeout, ex.Kind);
        Assert.Null(ex.StatusCode);
        Assert.True(ex.IsTransient);
        Assert.Equal(Hints.ConnectTimeout($"127.0.0.1:{silent.Port}").ToString(), ex.GetHint(CultureInfo.InvariantCulture));
        Assert.True(silent.AcceptedConnections >= 1);
        Assert.True(stopwatch.Elapsed < ShortTimeout + TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed}");
    }

    [Theory]
    [InlineData(SmtpSecurity.StartTls)]
    [InlineData(SmtpSecurity.None)]
    public async Task SendTestMailAsync_PlainGreetingExpectedOnImplicitTlsPort_ThrowsTlsWithSslOnConnectHint(SmtpSecurity security)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { ImplicitTls = true, AuthOptional = true }, ct);
        await using var mail = TestMailer.For(server, o =>
        {
            o.Security = security;
            o.Timeout = ProbeTimeout;
        });

        // Act
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => mail.Mailer.SendTestMailAsync(Recipient, cancellationToken: ct));

        // Assert
        Assert.Equal(SystemMailErrorKind.Tls, ex.Kind);
        Assert.Contains("SslOnConnect", ex.GetHint(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Equal(Hints.PlainAgainstImplicitTlsPort($"127.0.0.1:{server.Port}").ToString(), ex.GetHint(CultureInfo.InvariantCulture));
        Assert.Empty(await server.GetMessagesAsync(ct));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SendTestMailAsync_SslOnConnectAgainstPlainPort_ThrowsTlsWithStartTlsHint(bool portOffersStartTls)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { OfferStartTls = portOffersStartTls, AuthOptional = true }, ct);
        await using var mail = TestMailer.For(server, o => o.Security = SmtpSecurity.SslOnConnect);
        var stopwatch = Stopwatch.StartNew();

        // Act
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => mail.Mailer.SendTestMailAsync(Recipient, cancellationToken: ct));

        // Assert
        Assert.Equal(SystemMailErrorKind.Tls, ex.Kind);
        Assert.Contains("StartTls", ex.GetHint(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Equal(Hints.ImplicitTlsAgainstPlainPort($"127.0.0.1:{server.Port}").ToString(), ex.GetHint(CultureInfo.InvariantCulture));
        // The plain greeting answers the TLS hello at once: no waiting for the 10 s timeout.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(8), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task SendTestMailAsync_StartTlsNotOffered_ThrowsConfigurationWithHint()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { OfferStartTls = false, AuthOptional = true }, ct);
        await using var mail = TestMailer.For(server, o => o.Security = SmtpSecurity.StartTls);

        // Act
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => mail.Mailer.SendTestMailAsync(Recipient, cancellationToken: ct));

        // Assert
        Assert.Equal(SystemMailErrorKind.Configuration, ex.Kind);
        Assert.Equal(Hints.StartTlsNotOffered($"127.0.0.1:{server.Port}").ToString(), ex.GetHint(CultureInfo.InvariantCulture));
        Assert.Empty(await server.GetMessagesAsync(ct));
    }

    [Theory]
    [InlineData(SmtpSecurity.StartTls)]
    [InlineData(SmtpSecurity.SslOnConnect)]
    public async Task SendTestMailAsync_CertificateForAnotherNameWithDefaultValidation_ThrowsTlsWithCertificateHint(SmtpSecurity security)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        var password = SecretAssert.NewMarkerPassword();
        await using var server = await SmtpTestServer.StartAsync(
            new SmtpTestServerOptions
            {
                ImplicitTls = security == SmtpSecurity.SslOnConnect,
                Certificate = TestCertificate.CreateForWrongName(),
                Users = new Dictionary<string, string> { [User] = password },
            },
            ct);
        await using var mail = TestMailer.Create(o =>
        {
            o.Host = "localhost";
            o.Port = server.Port;
            o.Security = security;
            o.Authentication = SmtpAuthenticationType.Basic;
            o.Username = User;
            o.Password = password;
        });

        // Act
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => mail.Mailer.SendTestMailAsync(Recipient, cancellationToken: ct));

        // Assert
        Assert.Equal(SystemMailErrorKind.Tls, ex.Kind);
        Assert.Equal(Hints.CertificateUntrusted($"localhost:{server.Port}").ToString(), ex.GetHint(CultureInfo.InvariantCulture));
        Assert.Empty((await server.GetStatsAsync(ct)).AuthAttempts);
        SecretAssert.NotIn(ex, password);
    }

    [Fact]
    public async Task SendTestMailAsync_PinnedCertificateButWrongHostName_ThrowsTls()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        var wrongName = TestCertificate.CreateForWrongName();
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Certificate = wrongName, AuthOptional = true }, ct);
        await using var mail = TestMailer.For(server);

        // Act
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => mail.Mailer.SendTestMailAsync(Recipient, cancellationToken: ct));

        // Assert
        Assert.Equal(SystemMailErrorKind.Tls, ex.Kind);
        Assert.Equal(Hints.CertificateUntrusted($"127.0.0.1:{server.Port}").ToString(), ex.GetHint(CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task SendTestMailAsync_PinnedCertificateForTheHostName_Sends(string host)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { ImplicitTls = true, AuthOptional = true }, ct);
        await using var mail = TestMailer.For(server, o => o.Host = host);

        // Act
        var sent = await mail.Mailer.SendTestMailAsync(Recipient, cancellationToken: ct);

        // Assert
        var received = Assert.Single(await server.GetMessagesAsync(ct));
        Assert.Equal(sent.MessageId, received.Message.MessageId);
        Assert.True(received.Secure);
    }

    [Fact]
    public async Task SendTestMailAsync_NothingListens_ThrowsConnection()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        var port = TcpPorts.GetUnusedPort();
        await using var mail = TestMailer.Create(o =>
        {
            o.Host = "127.0.0.1";
            o.Port = port;
            o.Security = SmtpSecurity.StartTls;
        });

        // Act
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => mail.Mailer.SendTestMailAsync(Recipient, cancellationToken: ct));

        // Assert
        Assert.Equal(SystemMailErrorKind.Connection, ex.Kind);
        Assert.Equal(Hints.ConnectionRefused($"127.0.0.1:{port}").ToString(), ex.GetHint(CultureInfo.InvariantCulture));
        Assert.True(ex.IsTransient);
        Assert.Equal(0, mail.Pool.OpenConnections);
    }
}
