using System.Globalization;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.Diagnostics;

public sealed class DiagnosticSuccessTests : IClassFixture<BasicAuthSmtpServerFixture>, IAsyncLifetime
{
    private const string User = BasicAuthSmtpServerFixture.User;
    private const string Password = BasicAuthSmtpServerFixture.Password;
    private readonly BasicAuthSmtpServerFixture _fixture;

    public DiagnosticSuccessTests(BasicAuthSmtpServerFixture fixture)
    {
        _fixture = fixture;
    }

    private SmtpTestServer SmtpServer => _fixture.Server;

    public ValueTask InitializeAsync() => new(SmtpServer.ResetAsync(TestContext.Current.CancellationToken));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task TestConnectionAsync_StartTlsAndBasic_RunsEveryStageInOrderAndSendsNothing()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var mail = TestMailer.For(SmtpServer, o =>
        {
            o.Host = "localhost";
            Basic(o);
        });

        // Act
        var report = await mail.Diagnostics().TestConnectionAsync(CultureInfo.InvariantCulture, ct);

        // Assert
        Assert.True(report.Succeeded, report.ToString());
        Assert.Equal(SmtpDiagnosticOperation.TestConnection, report.Operation);
        Assert.Equal(
            [
                SmtpDiagnosticStage.Settings, SmtpDiagnosticStage.ResolveHost, SmtpDiagnosticStage.Connect, SmtpDiagnosticStage.Greeting,
                SmtpDiagnosticStage.Ehlo, SmtpDiagnosticStage.Tls, SmtpDiagnosticStage.Ehlo, SmtpDiagnosticStage.Authenticate,
            ],
            report.Steps.Select(s => s.Stage));
        Assert.All(report.Steps, s => Assert.Equal(SmtpDiagnosticOutcome.Succeeded, s.Outcome));
        Assert.All(report.Steps, s => Assert.True(s.Duration >= TimeSpan.Zero));
        Assert.Null(report.FailedStage);
        Assert.Null(report.ErrorKind);
        Assert.Null(report.Hint);

        Assert.Contains("127.0.0.1", report.Steps[1].Detail, StringComparison.Ordinal);
        Assert.Equal($"127.0.0.1:{SmtpServer.Port}", report.RemoteEndPoint);
        Assert.Equal(220, report.Steps[3].Reply?.StatusCode);
        Assert.StartsWith("localhost ESMTP", report.Greeting, StringComparison.Ordinal);
        // Before the handshake the server offers STARTTLS; after it, no more.
        Assert.Contains("STARTTLS", report.Steps[4].Detail, StringComparison.Ordinal);
        Assert.Contains("AUTH PLAIN LOGIN", report.Capabilities);
        Assert.DoesNotContain("STARTTLS", report.Capabilities);
        Assert.Equal("PLAIN", report.AuthenticationMechanism);
        Assert.Equal(235, report.Steps[7].Reply?.StatusCode);

        var tls = Assert.IsType<SmtpTlsInfo>(report.Tls);
        Assert.Contains(tls.Protocol, (string[])["Tls12", "Tls13"]);
        Assert.False(string.IsNullOrEmpty(tls.CipherSuite));
        Assert.Equal("CN=localhost", tls.CertificateSubject);
        Assert.Contains("localhost", tls.CertificateDnsNames);
        Assert.Equal(SmtpServer.TestCertificate.Sha256Thumbprint, tls.CertificateThumbprint);
        Assert.True(tls.CertificateNotBefore < DateTimeOffset.UtcNow && DateTimeOffset.UtcNow < tls.CertificateNotAfter);
        Assert.True(tls.CertificateAccepted);
        // The pinned self-signed certificate: the platform reports the chain, the host's callback accepts it.
        Assert.DoesNotContain(nameof(System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch), tls.CertificateErrors);

        Assert.Equal("localhost", report.Host);
        Assert.Equal(SmtpServer.Port, report.Port);
        Assert.Equal(SmtpSecurity.StartTls, report.Security);
        Assert.Equal(User, report.Username);
        Assert.Empty(await SmtpServer.GetMessagesAsync(ct));
        var stats = await SmtpServer.WaitForStatsAsync(s => s.OpenConnections == 0, TimeSpan.FromSeconds(5), ct);
        Assert.Equal(1, stats.Commands.GetValueOrDefault("QUIT"));
        Assert.Contains("C: QUIT", report.Transcript, StringComparison.Ordinal);
        Assert.Equal(0, mail.Pool.OpenConnections);
    }

    [Fact]
    public async Task SendTestMailAsync_SavedSettings_SendsTheTestMailAndReportsEnvelopeStages()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var mail = TestMailer.For(SmtpServer, Basic);

        // Act
        var report = await mail.Diagnostics().SendTestMailAsync("admin@example.com", CultureInfo.GetCultureInfo("zh-CN"), ct);

        // Assert
        Assert.True(report.Succeeded, report.ToString());
        Assert.Equal(SmtpDiagnosticOperation.SendTestMail, report.Operation);
        Assert.Equal(SmtpDiagnosticOutcome.Skipped, report.Steps.Single(s => s.Stage == SmtpDiagnosticStage.ResolveHost).Outcome);
        Assert.Equal(
            [SmtpDiagnosticStage.MailFrom, SmtpDiagnosticStage.RcptTo, SmtpDiagnosticStage.Data],
            report.Steps.TakeLast(3).Select(s => s.Stage));
        Assert.All(report.Steps.TakeLast(3), s => Assert.Equal(SmtpDiagnosticOutcome.Succeeded, s.Outcome));
        Assert.Equal(250, report.Steps[^3].Reply?.StatusCode);
        Assert.Equal(250, report.Steps[^2].Reply?.StatusCode);
        Assert.Contains("Ok: queued as", report.Steps[^1].Reply?.Text, StringComparison.Ordinal);

        var received = Assert.Single(await SmtpServer.GetMessagesAsync(ct));
        Assert.Equal(report.MessageId, received.Message.MessageId);
        Assert.Equal(["admin@example.com"], received.RcptTo);
        Assert.Equal(User, received.AuthenticatedUser);
        // The test mail is the built-in template in the requested language.
        Assert.Contains("测试", received.Message.Subject, StringComparison.Ordinal);
        Assert.Equal("admin@example.com", report.Recipient);
        Assert.Equal(TestMailer.Sender, report.From);
        Assert.Matches(@"\[message content: \d+ bytes, not shown\]", report.Transcript);
        Assert.DoesNotContain(received.Message.Subject!, report.Transcript, StringComparison.Ordinal);
        Assert.Equal(0, mail.Pool.OpenConnections);
    }

    [Fact]
    public async Task TestConnectionAsync_ImplicitTls_HandshakeComesBeforeTheGreeting()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { ImplicitTls = true, AuthOptional = true }, ct);
        await using var mail = TestMailer.For(server);

        // Act
        var report = await mail.Diagnostics().TestConnectionAsync(cancellationToken: ct);

        // Assert
        Assert.True(report.Succeeded, report.ToString());
        Assert.Equal(
            [
                (SmtpDiagnosticStage.Settings, SmtpDiagnosticOutcome.Succeeded),
                (SmtpDiagnosticStage.ResolveHost, SmtpDiagnosticOutcome.Skipped),
                (SmtpDiagnosticStage.Connect, SmtpDiagnosticOutcome.Succeeded),
                (SmtpDiagnosticStage.Tls, SmtpDiagnosticOutcome.Succeeded),
                (SmtpDiagnosticStage.Greeting, SmtpDiagnosticOutcome.Succeeded),
                (SmtpDiagnosticStage.Ehlo, SmtpDiagnosticOutcome.Succeeded),
                (SmtpDiagnosticStage.Authenticate, SmtpDiagnosticOutcome.Skipped),
            ],
            report.Steps.Select(s => (s.Stage, s.Outcome)));
        Assert.Equal("Authentication is None", report.Steps[^1].Detail);
        Assert.NotNull(report.Tls?.Protocol);
        Assert.Contains(report.Tls.Protocol, report.Steps[3].Detail, StringComparison.Ordinal);
        Assert.Null(report.AuthenticationMechanism);
        Assert.Null(report.Username);
    }

    [Fact]
    public async Task TestConnectionAsync_SecurityNone_SkipsTls()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { OfferStartTls = false, AuthOptional = true }, ct);
        await using var mail = TestMailer.For(server, o => o.Security = SmtpSecurity.None);

        // Act
        var report = await mail.Diagnostics().TestConnectionAsync(cancellationToken: ct);

        // Assert
        Assert.True(report.Succeeded, report.ToString());
        var tls = report.Steps.Single(s => s.Stage == SmtpDiagnosticStage.Tls);
        Assert.Equal(SmtpDiagnosticOutcome.Skipped, tls.Outcome);
        Assert.Null(tls.Duration);
        Assert.Null(report.Tls);
    }

    private static void Basic(SystemMailOptions options)
    {
        options.Authentication = SmtpAuthenticationType.Basic;
        options.Username = User;
        options.Password = Password;
    }
}
