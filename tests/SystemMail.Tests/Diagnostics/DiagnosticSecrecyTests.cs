using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.Diagnostics;

/// <summary>The transcript of AUTH, failed or not, holds no password in any form; MailKit's detector redacts it.</summary>
public sealed class DiagnosticSecrecyTests
{
    private const string User = "mailer@systemmail.test";

    [Fact]
    public async Task TestConnectionAsync_FailedAuthWithPlainThenLogin_TranscriptHasNoPasswordInAnyForm()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        var wrongPassword = SecretAssert.NewMarkerPassword();
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Users = new Dictionary<string, string> { [User] = "the-right-password" } }, ct);
        await using var mail = TestMailer.For(server, o =>
        {
            o.Authentication = SmtpAuthenticationType.Basic;
            o.Username = User;
            o.Password = wrongPassword;
        });

        // Act
        var report = await mail.Diagnostics().TestConnectionAsync(cancellationToken: ct);

        // Assert
        Assert.Equal(SmtpDiagnosticStage.Authenticate, report.FailedStage);
        // Both mechanisms ran: PLAIN with its initial response, LOGIN with the user name and password as continuations.
        Assert.Contains("C: AUTH PLAIN ********", report.Transcript, StringComparison.Ordinal);
        Assert.Contains("C: AUTH LOGIN", report.Transcript, StringComparison.Ordinal);
        Assert.Equal(2, report.Transcript.Split('\n').Count(l => l.StartsWith("C: ********", StringComparison.Ordinal)));
        Assert.Contains("S: 535 5.7.8 Error: authentication credentials invalid", report.Transcript, StringComparison.Ordinal);
        TranscriptAssert.NoPassword(report, wrongPassword, User);
        SecretAssert.NotIn(mail.Logs.Collector, wrongPassword, User);
    }

    [Fact]
    public async Task SendTestMailAsync_SuccessfulAuth_TranscriptHasNoPasswordInAnyForm()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        var password = SecretAssert.NewMarkerPassword();
        await using var server = await SmtpTestServer.StartAsync(
            new SmtpTestServerOptions { AuthMethods = ["LOGIN"], Users = new Dictionary<string, string> { [User] = password } },
            ct);
        await using var mail = TestMailer.For(server, o =>
        {
            o.Authentication = SmtpAuthenticationType.Basic;
            o.Username = User;
            o.Password = password;
        });

        // Act
        var report = await mail.Diagnostics().SendTestMailAsync("someone@example.com", cancellationToken: ct);

        // Assert
        Assert.True(report.Succeeded, report.ToString());
        Assert.Equal("LOGIN", report.AuthenticationMechanism);
        TranscriptAssert.NoPassword(report, password, User);
        SecretAssert.NotIn(mail.Logs.Collector, password, User);
    }
}
