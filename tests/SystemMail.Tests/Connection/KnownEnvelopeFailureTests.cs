using SystemMail.Tests.Diagnostics;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.Connection;

/// <summary>
/// The table of known failures after login: Office 365 without authentication or TLS, senders the account may not
/// use (Office 365, SendGrid, Postfix), answered by a real server on 127.0.0.1 that relays without AUTH, sent and
/// diagnosed alike.
/// </summary>
public sealed class KnownEnvelopeFailureTests : IClassFixture<OpenRelaySmtpServerFixture>, IAsyncLifetime
{
    private static readonly (string Provider, int Code, string Text, string? Enhanced, SystemMailErrorKind Kind, string HintId)[] SenderRefusals =
    [
        // Office 365 takes no anonymous mail on smtp.office365.com.
        (SmtpProviderTemplates.Office365Id, 530, "5.7.57 Client not authenticated to send mail. [MW4PR03CA0123.namprd03.prod.outlook.com 2024-05-14T09:12:33.123Z]", "5.7.57", SystemMailErrorKind.Authentication, nameof(Hints.Office365NotAuthenticated)),
        // Gmail, and any server, without login.
        (SmtpProviderTemplates.CustomId, 530, "5.7.0 Authentication Required. For more information, go to https://support.google.com/mail/?p=WantAuthError - gsmtp", "5.7.0", SystemMailErrorKind.Authentication, nameof(Hints.AuthenticationRequired)),
        // From not allowed for this account.
        (SmtpProviderTemplates.Office365Id, 550, "5.7.60 SMTP; Client does not have permissions to send as this sender [BN8PR03MB4567.namprd03.prod.outlook.com]", "5.7.60", SystemMailErrorKind.SenderRejected, nameof(Hints.Office365SendAs)),
        (SmtpProviderTemplates.SendGridId, 550, "The from address does not match a verified Sender Identity. Mail cannot be sent until this error is resolved. Visit https://sendgrid.com/docs/for-developers/sending-email/sender-identity/ to see the Sender Identity requirements", null, SystemMailErrorKind.SenderRejected, nameof(Hints.SendGridSenderIdentity)),
        (SmtpProviderTemplates.CustomId, 553, "5.7.1 <no-reply@systemmail.test>: Sender address rejected: not owned by user mailer@systemmail.test", "5.7.1", SystemMailErrorKind.SenderRejected, nameof(Hints.SenderRejected)),
    ];

    private readonly OpenRelaySmtpServerFixture _fixture;

    public KnownEnvelopeFailureTests(OpenRelaySmtpServerFixture fixture)
    {
        _fixture = fixture;
    }

    private SmtpTestServer SmtpServer => _fixture.Server;

    public static TheoryData<EntryPoint, string, int, string, string?, SystemMailErrorKind, string> SenderReplies()
    {
        var data = new TheoryData<EntryPoint, string, int, string, string?, SystemMailErrorKind, string>();
        foreach (var entryPoint in (EntryPoint[])[EntryPoint.Send, EntryPoint.Diagnostic])
        {
            foreach (var (provider, code, text, enhanced, kind, hintId) in SenderRefusals)
            {
                data.Add(entryPoint, provider, code, text, enhanced, kind, hintId);
            }
        }

        return data;
    }

    public ValueTask InitializeAsync() => new(SmtpServer.ResetAsync(TestContext.Current.CancellationToken));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Theory]
    [MemberData(nameof(SenderReplies))]
    public async Task SendTestMailAsync_ProviderRefusesTheSender_FailsAtMailFromWithTheProvidersHint(EntryPoint entryPoint, string provider, int code, string text, string? enhanced, SystemMailErrorKind kind, string hintId)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await SmtpServer.SetBehaviourAsync(new SmtpTestServerBehaviour { RejectSender = new SmtpTestSenderRule(code, text) }, ct);
        await using var mail = Mailer(provider);

        // Act
        var failure = await ConnectionFailure.SendTestMailAsync(mail, entryPoint);

        // Assert
        failure.Is(kind, hintId, SmtpDiagnosticStage.MailFrom);
        failure.Reply(code, enhanced, text);
        Assert.Empty(await SmtpServer.GetMessagesAsync(ct));
    }

    [Theory]
    [InlineData(EntryPoint.Send)]
    [InlineData(EntryPoint.Diagnostic)]
    public async Task SendTestMailAsync_SendGridRefusesTheSenderAfterData_FailsAtDataWithTheSenderIdentityHint(EntryPoint entryPoint)
    {
        // Arrange: SendGrid may refuse the unverified sender only once it has the message.
        var ct = TestContext.Current.CancellationToken;
        await SmtpServer.SetBehaviourAsync(
            new SmtpTestServerBehaviour { DataReply = new SmtpTestReply(550, "The from address does not match a verified Sender Identity. Mail cannot be sent until this error is resolved.") },
            ct);
        await using var mail = Mailer(SmtpProviderTemplates.SendGridId);

        // Act
        var failure = await ConnectionFailure.SendTestMailAsync(mail, entryPoint);

        // Assert
        failure.Is(SystemMailErrorKind.SenderRejected, nameof(Hints.SendGridSenderIdentity), SmtpDiagnosticStage.Data);
    }

    [Theory]
    [InlineData(EntryPoint.Send)]
    [InlineData(EntryPoint.Diagnostic)]
    public async Task SendTestMailAsync_Office365StartTlsRequired_FailsAtMailFromAsConfigurationWithoutTlsAndSendsWithIt(EntryPoint entryPoint)
    {
        // Arrange: Office 365 answers MAIL FROM on a plain connection with a 4xx that no retry will fix; the same
        // table serves the mailer, so a failed send is not mistaken for a temporary one.
        var ct = TestContext.Current.CancellationToken;
        await SmtpServer.SetBehaviourAsync(
            new SmtpTestServerBehaviour { RequireTls = new SmtpTestReply(451, "5.7.3 STARTTLS is required to send mail [DM6PR11CA0062.namprd11.prod.outlook.com 2024-05-14T09:12:33.123Z 08DC73F1A2B3C4D5]") },
            ct);
        await using var plain = TestMailer.For(SmtpServer, o => o.Security = SmtpSecurity.None);
        await using var secure = TestMailer.For(SmtpServer, o => o.Security = SmtpSecurity.StartTls);

        // Act
        var failure = await ConnectionFailure.SendTestMailAsync(plain, entryPoint);

        // Assert
        failure.Is(SystemMailErrorKind.Configuration, Hints.StartTlsRequired, SmtpDiagnosticStage.MailFrom);
        failure.Reply(451, "5.7.3", "STARTTLS is required to send mail");
        Assert.Contains("Security to StartTls", failure.Hint, StringComparison.Ordinal);
        if (failure.Exception is { } ex)
        {
            Assert.False(ex.IsTransient);
        }

        if (entryPoint == EntryPoint.Send)
        {
            await secure.Mailer.SendTestMailAsync(ConnectionFailure.Recipient, cancellationToken: ct);
        }
        else
        {
            var sent = await secure.Diagnostics().SendTestMailAsync(ConnectionFailure.Recipient, cancellationToken: ct);
            Assert.True(sent.Succeeded, sent.ToString());
        }

        Assert.Single(await SmtpServer.GetMessagesAsync(ct));
    }

    private TestMailer Mailer(string provider) => provider == SmtpProviderTemplates.CustomId
        ? TestMailer.For(SmtpServer)
        : DiagnosticsTestMailer.ForProvider(SmtpServer, provider, o =>
        {
            o.Authentication = SmtpAuthenticationType.None;
            o.Username = null;
            o.Password = null;
        });
}
