using System.Globalization;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.Diagnostics;

/// <summary>Failures the server answers with: greeting, EHLO, STARTTLS, AUTH, MAIL FROM, RCPT TO and DATA refused.</summary>
public sealed class DiagnosticServerReplyTests : IClassFixture<BasicAuthSmtpServerFixture>, IAsyncLifetime
{
    private const string User = BasicAuthSmtpServerFixture.User;
    private const string Password = BasicAuthSmtpServerFixture.Password;
    private const string Recipient = "someone@example.com";
    private readonly BasicAuthSmtpServerFixture _fixture;

    public DiagnosticServerReplyTests(BasicAuthSmtpServerFixture fixture)
    {
        _fixture = fixture;
    }

    private SmtpTestServer SmtpServer => _fixture.Server;

    public ValueTask InitializeAsync() => new(SmtpServer.ResetAsync(TestContext.Current.CancellationToken));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task TestConnectionAsync_GreetingRefused_FailsAtGreetingWithTheReply()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await SmtpServer.SetBehaviourAsync(new SmtpTestServerBehaviour { GreetingReply = new SmtpTestReply(554, "5.7.1 Service unavailable; Client host [127.0.0.1] blocked using zen.spamhaus.org") }, ct);
        await using var mail = TestMailer.For(SmtpServer, Basic);

        // Act
        var report = await mail.Diagnostics().TestConnectionAsync(cancellationToken: ct);

        // Assert
        DiagnosticAssert.FailedAt(report, SmtpDiagnosticStage.Greeting, SystemMailErrorKind.Connection, nameof(Hints.ServerRefusedConnection));
        DiagnosticAssert.Reply(report, 554, "5.7.1", "blocked using zen.spamhaus.org");
        Assert.Contains("S: 554 5.7.1 Service unavailable", report.Transcript, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestConnectionAsync_TooManyConnections_FailsAtGreetingAsTransient()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await SmtpServer.SetBehaviourAsync(new SmtpTestServerBehaviour { GreetingReply = new SmtpTestReply(421, "4.7.0 Too many concurrent SMTP connections; please try again later") }, ct);
        await using var mail = TestMailer.For(SmtpServer, Basic);

        // Act
        var report = await mail.Diagnostics().TestConnectionAsync(cancellationToken: ct);

        // Assert
        DiagnosticAssert.FailedAt(report, SmtpDiagnosticStage.Greeting, SystemMailErrorKind.Transient, nameof(Hints.Transient));
        DiagnosticAssert.Reply(report, 421, "4.7.0", "Too many concurrent SMTP connections");
    }

    [Fact]
    public async Task TestConnectionAsync_EhloRefused_FailsAtEhloWithTheLocalDomainHint()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await SmtpServer.SetBehaviourAsync(new SmtpTestServerBehaviour { EhloReply = new SmtpTestReply(501, "5.5.4 Invalid domain name") }, ct);
        await using var mail = TestMailer.For(SmtpServer, Basic);

        // Act
        var report = await mail.Diagnostics().TestConnectionAsync(cancellationToken: ct);

        // Assert
        DiagnosticAssert.FailedAt(report, SmtpDiagnosticStage.Ehlo, SystemMailErrorKind.Configuration, nameof(Hints.EhloRefused));
        DiagnosticAssert.Reply(report, 501, "5.5.4", "Invalid domain name");
        Assert.Contains("LocalDomain", report.Hint, StringComparison.Ordinal);
        // MailKit falls back to HELO; both are refused and both are in the transcript.
        Assert.Contains("C: EHLO client.systemmail.test", report.Transcript, StringComparison.Ordinal);
        Assert.Contains("C: HELO client.systemmail.test", report.Transcript, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestConnectionAsync_StartTlsRefused_FailsAtTls()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await SmtpServer.SetBehaviourAsync(new SmtpTestServerBehaviour { StartTlsReply = new SmtpTestReply(454, "4.7.0 TLS not available due to local problem") }, ct);
        await using var mail = TestMailer.For(SmtpServer, Basic);

        // Act
        var report = await mail.Diagnostics().TestConnectionAsync(cancellationToken: ct);

        // Assert
        DiagnosticAssert.FailedAt(report, SmtpDiagnosticStage.Tls, SystemMailErrorKind.Tls, nameof(Hints.StartTlsRefused));
        DiagnosticAssert.Reply(report, 454, "4.7.0", "TLS not available");
        Assert.Contains("STARTTLS", report.Capabilities);
    }

    [Fact]
    public async Task TestConnectionAsync_WrongPassword_FailsAtAuthenticateWithTheServersReply()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var mail = TestMailer.For(SmtpServer, o =>
        {
            Basic(o);
            o.Password = SecretAssert.NewMarkerPassword();
        });

        // Act
        var report = await mail.Diagnostics().TestConnectionAsync(CultureInfo.GetCultureInfo("en-US"), ct);

        // Assert
        var step = DiagnosticAssert.FailedAt(report, SmtpDiagnosticStage.Authenticate, SystemMailErrorKind.Authentication, nameof(Hints.WrongCredentials));
        DiagnosticAssert.Reply(report, 535, "5.7.8", "authentication credentials invalid");
        Assert.Equal("tried PLAIN, LOGIN", step.Detail);
        Assert.Equal("LOGIN", report.AuthenticationMechanism);
        Assert.Equal(["PLAIN", "LOGIN"], (await SmtpServer.GetStatsAsync(ct)).AuthAttempts.Select(a => a.Method));
        Assert.Equal(Hints.WrongCredentials.Text(null), report.Hint);
        Assert.Equal("en", report.HintLanguage);
        Assert.NotNull(report.Tls?.Protocol);
        // The server still listens after a refused AUTH: the test says goodbye.
        Assert.EndsWith("C: QUIT\r\nS: 221 Bye\r\n", report.Transcript, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestConnectionAsync_SimplifiedChinese_GivesTheHintInChinese()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var mail = TestMailer.For(SmtpServer, o =>
        {
            Basic(o);
            o.Password = SecretAssert.NewMarkerPassword();
        });

        // Act
        var report = await mail.Diagnostics().TestConnectionAsync(CultureInfo.GetCultureInfo("zh-CN"), ct);

        // Assert
        Assert.Equal(nameof(Hints.WrongCredentials), report.HintId);
        Assert.Equal("zh-Hans", report.HintLanguage);
        Assert.Equal(Hints.WrongCredentials.Text(CultureInfo.GetCultureInfo("zh-Hans")), report.Hint);
        Assert.StartsWith("服务器拒绝了用户名或密码", report.Hint, StringComparison.Ordinal);
        // What went wrong stays in English, as logs have it.
        Assert.StartsWith("Authentication at", report.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestConnectionAsync_AuthOnPlainConnection_FailsAtAuthenticateSayingStartTls()
    {
        // Arrange: the server lists AUTH before STARTTLS but refuses it until TLS ("538 Must issue a STARTTLS command first").
        var ct = TestContext.Current.CancellationToken;
        await using var mail = TestMailer.For(SmtpServer, o =>
        {
            Basic(o);
            o.Security = SmtpSecurity.None;
        });

        // Act
        var report = await mail.Diagnostics().TestConnectionAsync(cancellationToken: ct);

        // Assert
        DiagnosticAssert.FailedAt(report, SmtpDiagnosticStage.Authenticate, SystemMailErrorKind.Configuration, nameof(Hints.StartTlsRequired));
        Assert.Equal(538, report.ServerReply?.StatusCode);
        Assert.Equal(SmtpDiagnosticOutcome.Skipped, report.Steps.Single(s => s.Stage == SmtpDiagnosticStage.Tls).Outcome);
    }

    [Fact]
    public async Task SendTestMailAsync_SenderRefused_FailsAtMailFrom()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await SmtpServer.SetBehaviourAsync(new SmtpTestServerBehaviour { RejectSender = new SmtpTestSenderRule(553, "5.7.1 Sender address rejected: not owned by user " + User) }, ct);
        await using var mail = TestMailer.For(SmtpServer, Basic);

        // Act
        var report = await mail.Diagnostics().SendTestMailAsync(Recipient, cancellationToken: ct);

        // Assert
        DiagnosticAssert.FailedAt(report, SmtpDiagnosticStage.MailFrom, SystemMailErrorKind.SenderRejected, nameof(Hints.SenderRejected));
        // With PIPELINING the refused RCPT TO's reply arrives too; the report keeps the one that failed.
        DiagnosticAssert.Reply(report, 553, "5.7.1", "not owned by user");
        Assert.Contains(TestMailer.Sender, report.Hint, StringComparison.Ordinal);
        Assert.Null(report.MessageId);
        Assert.Empty(await SmtpServer.GetMessagesAsync(ct));
    }

    [Fact]
    public async Task SendTestMailAsync_RecipientRefused_FailsAtRcptTo()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await SmtpServer.SetBehaviourAsync(new SmtpTestServerBehaviour { RejectRecipients = [new SmtpTestRecipientRule(Recipient, 550, "5.1.1 User unknown")] }, ct);
        await using var mail = TestMailer.For(SmtpServer, Basic);

        // Act
        var report = await mail.Diagnostics().SendTestMailAsync(Recipient, cancellationToken: ct);

        // Assert
        DiagnosticAssert.FailedAt(report, SmtpDiagnosticStage.RcptTo, SystemMailErrorKind.RecipientRejected, nameof(Hints.RecipientRejected));
        DiagnosticAssert.Reply(report, 550, "5.1.1", "User unknown");
        Assert.Equal(250, report.Steps.Single(s => s.Stage == SmtpDiagnosticStage.MailFrom).Reply?.StatusCode);
        Assert.Empty(await SmtpServer.GetMessagesAsync(ct));
    }

    [Fact]
    public async Task SendTestMailAsync_MessageRefused_FailsAtData()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await SmtpServer.SetBehaviourAsync(new SmtpTestServerBehaviour { DataReply = new SmtpTestReply(554, "5.7.1 Message rejected as spam") }, ct);
        await using var mail = TestMailer.For(SmtpServer, Basic);

        // Act
        var report = await mail.Diagnostics().SendTestMailAsync(Recipient, cancellationToken: ct);

        // Assert
        DiagnosticAssert.FailedAt(report, SmtpDiagnosticStage.Data, SystemMailErrorKind.MessageRejected, nameof(Hints.MessageRejected));
        DiagnosticAssert.Reply(report, 554, "5.7.1", "rejected as spam");
        Assert.Matches(@"\[message content: \d+ bytes, not shown\]", report.Transcript);
        Assert.Null(report.MessageId);
    }

    private static void Basic(SystemMailOptions options)
    {
        options.Authentication = SmtpAuthenticationType.Basic;
        options.Username = User;
        options.Password = Password;
    }
}
