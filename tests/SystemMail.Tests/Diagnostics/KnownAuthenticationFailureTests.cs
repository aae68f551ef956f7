using System.Globalization;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.Diagnostics;

/// <summary>
/// The table of known failures at AUTH, with the texts Gmail, Office 365 and SendGrid really send, answered by a
/// real server on 127.0.0.1 standing in for the provider (its template pointed there).
/// </summary>
public sealed class KnownAuthenticationFailureTests : IClassFixture<BasicAuthSmtpServerFixture>, IAsyncLifetime
{
    private readonly BasicAuthSmtpServerFixture _fixture;

    public KnownAuthenticationFailureTests(BasicAuthSmtpServerFixture fixture)
    {
        _fixture = fixture;
    }

    private SmtpTestServer SmtpServer => _fixture.Server;

    public static TheoryData<string, int, string, string?, string> ProviderReplies() => new()
    {
        // Gmail: wrong password, or the account password where an app password is needed.
        { SmtpProviderTemplates.GoogleId, 535, "5.7.8 Username and Password not accepted. For more information, go to https://support.google.com/mail/?p=BadCredentials d9443c01a7336-21f0e2c4b8asm1234567b.12 - gsmtp", "5.7.8", nameof(Hints.GoogleCredentials) },
        // Gmail with 2-Step Verification: an app password is required. MailKit tries the next mechanism after a 534.
        { SmtpProviderTemplates.GoogleId, 534, "5.7.9 Application-specific password required. For more information, go to https://support.google.com/mail/?p=InvalidSecondFactor 5b1f17b1804b1-43b0d0f5c1asm12345675e9.15 - gsmtp", "5.7.9", nameof(Hints.GoogleAppPasswordRequired) },
        { SmtpProviderTemplates.GoogleId, 534, "5.7.14 <https://accounts.google.com/signin/continue?sarp=1&scc=1&plt=AKgnsbt> Please log in via your web browser and then try again. Learn more at https://support.google.com/mail/answer/78754 - gsmtp", "5.7.14", nameof(Hints.GoogleWebLoginRequired) },

        // Office 365.
        { SmtpProviderTemplates.Office365Id, 535, "5.7.3 Authentication unsuccessful [SN4PR0601CA0005.namprd06.prod.outlook.com 2024-05-14T09:12:33.123Z 08DC7341B6A2C1F5]", "5.7.3", nameof(Hints.Office365AuthUnsuccessful) },
        { SmtpProviderTemplates.Office365Id, 535, "5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [AM0PR02CA0123.eurprd02.prod.outlook.com]", "5.7.139", nameof(Hints.Office365SmtpAuthDisabled) },
        { SmtpProviderTemplates.Office365Id, 535, "5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator. [LO4P123CA0456.GBRP123.PROD.OUTLOOK.COM]", "5.7.139", nameof(Hints.Office365BasicAuthBlocked) },
        { SmtpProviderTemplates.Office365Id, 535, "5.7.139 Authentication unsuccessful, basic authentication is disabled. [BN9PR03CA0789.namprd03.prod.outlook.com]", "5.7.139", nameof(Hints.Office365BasicAuthBlocked) },
        { SmtpProviderTemplates.Office365Id, 535, "5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. Contact your administrator. [PH7PR17CA0012.namprd17.prod.outlook.com]", "5.7.139", nameof(Hints.Office365BasicAuthBlocked) },
        { SmtpProviderTemplates.Office365Id, 535, "5.7.139 Authentication unsuccessful, the user credentials were incorrect. [DM6PR02CA0345.namprd02.prod.outlook.com]", "5.7.139", nameof(Hints.Office365AuthUnsuccessful) },

        // SendGrid: the user name must be "apikey"; a deleted API key.
        { SmtpProviderTemplates.SendGridId, 535, "Authentication failed: Bad username / password", null, nameof(Hints.SendGridCredentials) },
        { SmtpProviderTemplates.SendGridId, 535, "Authentication failed: The provided authorization grant is invalid, expired, or revoked", null, nameof(Hints.SendGridApiKeyRevoked) },

        // The same texts from a custom server: RFC 4954's 5.7.8 is everybody's, the generic hint applies.
        { SmtpProviderTemplates.CustomId, 535, "5.7.8 Username and Password not accepted. For more information, go to https://support.google.com/mail/?p=BadCredentials", "5.7.8", nameof(Hints.WrongCredentials) },
        // Office 365's 5.7.139 is its own, whoever relays it.
        { SmtpProviderTemplates.CustomId, 535, "5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.", "5.7.139", nameof(Hints.Office365SmtpAuthDisabled) },
    };

    public ValueTask InitializeAsync() => new(SmtpServer.ResetAsync(TestContext.Current.CancellationToken));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Theory]
    [MemberData(nameof(ProviderReplies))]
    public async Task TestConnectionAsync_ProviderRefusesAuth_FailsAtAuthenticateWithTheProvidersHint(string provider, int code, string text, string? enhanced, string hintId)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await SmtpServer.SetBehaviourAsync(new SmtpTestServerBehaviour { AuthReply = new SmtpTestReply(code, text) }, ct);
        await using var mail = provider == SmtpProviderTemplates.CustomId
            ? TestMailer.For(SmtpServer, o =>
            {
                o.Authentication = SmtpAuthenticationType.Basic;
                o.Username = BasicAuthSmtpServerFixture.User;
                o.Password = BasicAuthSmtpServerFixture.Password;
            })
            : DiagnosticsTestMailer.ForProvider(SmtpServer, provider);

        // Act
        var report = await mail.Diagnostics().TestConnectionAsync(cancellationToken: ct);

        // Assert
        DiagnosticAssert.FailedAt(report, SmtpDiagnosticStage.Authenticate, SystemMailErrorKind.Authentication, hintId);
        DiagnosticAssert.Reply(report, code, enhanced, text);
        Assert.Equal(provider, report.Provider);
        Assert.Contains($"S: {code} {text}", report.Transcript, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestConnectionAsync_Gmail534_SameHintForAFailedSend()
    {
        // Arrange: MailKit's exception after a 534 on every mechanism carries no reply; the diagnostic reads it from
        // the transcript, the mailer falls back to the provider's hint. Both point at app passwords.
        var ct = TestContext.Current.CancellationToken;
        await SmtpServer.SetBehaviourAsync(new SmtpTestServerBehaviour { AuthReply = new SmtpTestReply(534, "5.7.9 Application-specific password required.") }, ct);
        await using var mail = DiagnosticsTestMailer.ForProvider(SmtpServer, SmtpProviderTemplates.GoogleId);

        // Act
        var report = await mail.Diagnostics().TestConnectionAsync(cancellationToken: ct);
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => mail.Mailer.SendTestMailAsync("someone@example.com", cancellationToken: ct));

        // Assert
        Assert.Equal(nameof(Hints.GoogleAppPasswordRequired), report.HintId);
        Assert.Equal(SystemMailErrorKind.Authentication, ex.Kind);
        Assert.Contains("app password", ex.GetHint(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }
}
