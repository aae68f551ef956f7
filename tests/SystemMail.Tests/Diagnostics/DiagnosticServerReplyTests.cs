using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.Diagnostics;

/// <summary>
/// The envelope refused in a diagnostic's test mail: MAIL FROM, RCPT TO and DATA. Refusals while connecting are in
/// <see cref="Connection.ServerRefusalTests"/> and <see cref="Connection.AuthenticationFailureTests"/>.
/// </summary>
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
