using SystemMail.Tests.Diagnostics;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.Connection;

/// <summary>
/// The envelope refused after login, sent and diagnosed alike: MAIL FROM, RCPT TO and DATA. Refusals while connecting
/// are in <see cref="ServerRefusalTests"/> and <see cref="AuthenticationFailureTests"/>, the providers' texts in
/// <see cref="KnownEnvelopeFailureTests"/>.
/// </summary>
public sealed class EnvelopeRefusalTests : IClassFixture<BasicAuthSmtpServerFixture>, IAsyncLifetime
{
    private const string User = BasicAuthSmtpServerFixture.User;
    private const string Password = BasicAuthSmtpServerFixture.Password;
    private readonly BasicAuthSmtpServerFixture _fixture;

    public EnvelopeRefusalTests(BasicAuthSmtpServerFixture fixture)
    {
        _fixture = fixture;
    }

    private SmtpTestServer SmtpServer => _fixture.Server;

    public ValueTask InitializeAsync() => new(SmtpServer.ResetAsync(TestContext.Current.CancellationToken));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Theory]
    [InlineData(EntryPoint.Send, 553, "5.7.1 Sender address rejected: not owned by user " + User, "5.7.1")]
    [InlineData(EntryPoint.Diagnostic, 553, "5.7.1 Sender address rejected: not owned by user " + User, "5.7.1")]
    [InlineData(EntryPoint.Send, 550, "5.7.60 SMTP; Client does not have permissions to send as this sender", "5.7.60")]
    [InlineData(EntryPoint.Diagnostic, 550, "5.7.60 SMTP; Client does not have permissions to send as this sender", "5.7.60")]
    public async Task SendTestMailAsync_SenderRefused_FailsAtMailFromWithTheSenderRejectedHint(EntryPoint entryPoint, int code, string text, string enhanced)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await SmtpServer.SetBehaviourAsync(new SmtpTestServerBehaviour { RejectSender = new SmtpTestSenderRule(code, text) }, ct);
        await using var mail = TestMailer.For(SmtpServer, Basic);

        // Act
        var failure = await ConnectionFailure.SendTestMailAsync(mail, entryPoint);

        // Assert
        failure.Is(SystemMailErrorKind.SenderRejected, Hints.SenderRejected(TestMailer.Sender), SmtpDiagnosticStage.MailFrom);
        // With PIPELINING the refused RCPT TO's reply arrives too; the failure keeps the one that failed.
        failure.Reply(code, enhanced, text);
        Assert.Contains(TestMailer.Sender, failure.Hint, StringComparison.Ordinal);
        Assert.Empty(await SmtpServer.GetMessagesAsync(ct));
        if (failure.Exception is { } ex)
        {
            Assert.Equal(text, ex.ServerResponse);
            Assert.Contains(TestMailer.Sender, ex.Message, StringComparison.Ordinal);
        }

        if (failure.Report is { } report)
        {
            Assert.Null(report.MessageId);
        }
    }

    [Theory]
    [InlineData(EntryPoint.Send)]
    [InlineData(EntryPoint.Diagnostic)]
    public async Task SendTestMailAsync_SenderRefusedTemporarily_FailsAtMailFromAsTransient(EntryPoint entryPoint)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await SmtpServer.SetBehaviourAsync(new SmtpTestServerBehaviour { RejectSender = new SmtpTestSenderRule(451, "4.3.0 Mail server temporarily rejected message") }, ct);
        await using var mail = TestMailer.For(SmtpServer, Basic);

        // Act
        var failure = await ConnectionFailure.SendTestMailAsync(mail, entryPoint);

        // Assert
        failure.Is(SystemMailErrorKind.Transient, Hints.Transient, SmtpDiagnosticStage.MailFrom);
        failure.Reply(451, "4.3.0", "temporarily rejected message");
        if (failure.Exception is { } ex)
        {
            Assert.True(ex.IsTransient);
        }
    }

    [Theory]
    [InlineData(EntryPoint.Send)]
    [InlineData(EntryPoint.Diagnostic)]
    public async Task SendTestMailAsync_RecipientRefused_FailsAtRcptToWithTheRecipientRejectedHint(EntryPoint entryPoint)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await SmtpServer.SetBehaviourAsync(
            new SmtpTestServerBehaviour { RejectRecipients = [new SmtpTestRecipientRule(ConnectionFailure.Recipient, 550, "5.1.1 User unknown")] },
            ct);
        await using var mail = TestMailer.For(SmtpServer, Basic);

        // Act
        var failure = await ConnectionFailure.SendTestMailAsync(mail, entryPoint);

        // Assert
        failure.Is(SystemMailErrorKind.RecipientRejected, Hints.RecipientRejected, SmtpDiagnosticStage.RcptTo);
        failure.Reply(550, "5.1.1", "User unknown");
        if (failure.Exception is { } ex)
        {
            // The refusal is the recipient's, not the connection's: the next mail goes out on the same one.
            Assert.Equal("5.1.1 User unknown", ex.ServerResponse);
            Assert.Contains(ConnectionFailure.Recipient, ex.Message, StringComparison.Ordinal);
            var next = await mail.Mailer.SendTestMailAsync("somebody@example.com", cancellationToken: ct);

            var received = Assert.Single(await SmtpServer.GetMessagesAsync(ct));
            Assert.Equal(next.MessageId, received.Message.MessageId);
            Assert.Equal(["somebody@example.com"], received.RcptTo);
            var stats = await SmtpServer.GetStatsAsync(ct);
            Assert.Equal(1, stats.Connections);
            Assert.Single(stats.AuthAttempts);
            Assert.Equal(1, mail.Pool.OpenConnections);
        }

        if (failure.Report is { } report)
        {
            Assert.Equal(250, report.Steps.Single(s => s.Stage == SmtpDiagnosticStage.MailFrom).Reply?.StatusCode);
            Assert.Empty(await SmtpServer.GetMessagesAsync(ct));
        }
    }

    [Theory]
    [InlineData(EntryPoint.Send)]
    [InlineData(EntryPoint.Diagnostic)]
    public async Task SendTestMailAsync_MessageRefused_FailsAtDataWithTheMessageRejectedHint(EntryPoint entryPoint)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await SmtpServer.SetBehaviourAsync(new SmtpTestServerBehaviour { DataReply = new SmtpTestReply(554, "5.7.1 Message rejected as spam") }, ct);
        await using var mail = TestMailer.For(SmtpServer, Basic);

        // Act
        var failure = await ConnectionFailure.SendTestMailAsync(mail, entryPoint);

        // Assert
        failure.Is(SystemMailErrorKind.MessageRejected, Hints.MessageRejected, SmtpDiagnosticStage.Data);
        failure.Reply(554, "5.7.1", "rejected as spam");
        if (failure.Report is { } report)
        {
            Assert.Matches(@"\[message content: \d+ bytes, not shown\]", report.Transcript);
            Assert.Null(report.MessageId);
        }
    }

    private static void Basic(SystemMailOptions options)
    {
        options.Authentication = SmtpAuthenticationType.Basic;
        options.Username = User;
        options.Password = Password;
    }
}
