using System.Globalization;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.Connection;

/// <summary>AUTH refused, sent and diagnosed alike: the hint, the server's reply, and no password in any form anywhere.</summary>
public sealed class AuthenticationFailureTests : IClassFixture<BasicAuthSmtpServerFixture>, IAsyncLifetime
{
    private const string User = BasicAuthSmtpServerFixture.User;
    private readonly BasicAuthSmtpServerFixture _fixture;

    public AuthenticationFailureTests(BasicAuthSmtpServerFixture fixture)
    {
        _fixture = fixture;
    }

    private SmtpTestServer SmtpServer => _fixture.Server;

    public ValueTask InitializeAsync() => new(SmtpServer.ResetAsync(TestContext.Current.CancellationToken));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Theory]
    [InlineData(EntryPoint.Send)]
    [InlineData(EntryPoint.Diagnostic)]
    public async Task ConnectAsync_WrongPassword_FailsWithTheServersReplyWithoutThePasswordAndSaysGoodbye(EntryPoint entryPoint)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        var wrongPassword = SecretAssert.NewMarkerPassword();
        await using var mail = TestMailer.For(SmtpServer, o => Basic(o, wrongPassword));

        // Act
        var failure = await ConnectionFailure.ProvokeAsync(mail, entryPoint, CultureInfo.GetCultureInfo("en-US"));

        // Assert
        var step = failure.Is(SystemMailErrorKind.Authentication, Hints.WrongCredentials, SmtpDiagnosticStage.Authenticate);
        failure.Reply(535, "5.7.8", "authentication credentials invalid");
        Assert.Contains(User, failure.Summary, StringComparison.Ordinal);
        var stats = await SmtpServer.GetStatsAsync(ct);
        Assert.Equal(["PLAIN", "LOGIN"], stats.AuthAttempts.Select(a => a.Method));
        Assert.Equal(0, stats.Messages);
        // The server still listens after a refused AUTH: the client says goodbye.
        Assert.Equal(1, stats.CommandCount("QUIT"));
        Assert.Equal(0, mail.Pool.OpenConnections);
        failure.HasNoSecret(wrongPassword, User);
        SecretAssert.NotIn(mail.Logs.Collector, wrongPassword, User);
        if (failure.Report is { } report)
        {
            Assert.Equal("tried PLAIN, LOGIN", step!.Detail);
            Assert.Equal("LOGIN", report.AuthenticationMechanism);
            Assert.Equal("en", report.HintLanguage);
            Assert.NotNull(report.Tls?.Protocol);
            Assert.EndsWith("C: QUIT\r\nS: 221 Bye\r\n", report.Transcript, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(EntryPoint.Send)]
    [InlineData(EntryPoint.Diagnostic)]
    public async Task ConnectAsync_SimplifiedChinese_GivesTheHintInChineseAndTheSummaryInEnglish(EntryPoint entryPoint)
    {
        // Arrange
        var chinese = CultureInfo.GetCultureInfo("zh-CN");
        await using var mail = TestMailer.For(SmtpServer, o => Basic(o, SecretAssert.NewMarkerPassword()));

        // Act
        var failure = await ConnectionFailure.ProvokeAsync(mail, entryPoint, chinese);

        // Assert
        failure.Is(SystemMailErrorKind.Authentication, Hints.WrongCredentials, SmtpDiagnosticStage.Authenticate);
        Assert.StartsWith("服务器拒绝了用户名或密码", failure.Hint, StringComparison.Ordinal);
        // What went wrong stays in English, as logs have it.
        Assert.StartsWith("Authentication at", failure.Summary, StringComparison.Ordinal);
        if (failure.Report is { } report)
        {
            Assert.Equal("zh-Hans", report.HintLanguage);
        }
    }

    [Theory]
    [InlineData(EntryPoint.Send)]
    [InlineData(EntryPoint.Diagnostic)]
    public async Task ConnectAsync_TemporaryAuthenticationFailure_FailsAsTransient(EntryPoint entryPoint)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        var password = SecretAssert.NewMarkerPassword();
        await SmtpServer.SetBehaviourAsync(new SmtpTestServerBehaviour { AuthReply = new SmtpTestReply(454, "4.7.0 Temporary authentication failure") }, ct);
        await using var mail = TestMailer.For(SmtpServer, o => Basic(o, password));

        // Act
        var failure = await ConnectionFailure.ProvokeAsync(mail, entryPoint);

        // Assert
        failure.Is(SystemMailErrorKind.Transient, Hints.Transient, SmtpDiagnosticStage.Authenticate);
        failure.Reply(454, "4.7.0", "Temporary authentication failure");
        failure.HasNoSecret(password, User);
    }

    [Theory]
    [InlineData(EntryPoint.Send)]
    [InlineData(EntryPoint.Diagnostic)]
    public async Task ConnectAsync_AuthOnPlainConnection_FailsSayingStartTls(EntryPoint entryPoint)
    {
        // Arrange: the server lists AUTH before STARTTLS but refuses it until TLS ("538 Must issue a STARTTLS command first").
        await using var mail = TestMailer.For(SmtpServer, o =>
        {
            Basic(o, BasicAuthSmtpServerFixture.Password);
            o.Security = SmtpSecurity.None;
        });

        // Act
        var failure = await ConnectionFailure.ProvokeAsync(mail, entryPoint);

        // Assert
        failure.Is(SystemMailErrorKind.Configuration, Hints.StartTlsRequired, SmtpDiagnosticStage.Authenticate);
        Assert.Equal(538, failure.StatusCode);
        if (failure.Report is { } report)
        {
            Assert.Equal(SmtpDiagnosticOutcome.Skipped, report.Steps.Single(s => s.Stage == SmtpDiagnosticStage.Tls).Outcome);
        }
    }

    [Theory]
    [InlineData(EntryPoint.Send)]
    [InlineData(EntryPoint.Diagnostic)]
    public async Task ConnectAsync_ServerOffersNoAuth_FailsWithConfiguration(EntryPoint entryPoint)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { AuthDisabled = true, AuthOptional = true }, ct);
        await using var mail = TestMailer.For(server, o => Basic(o, SecretAssert.NewMarkerPassword()));

        // Act
        var failure = await ConnectionFailure.ProvokeAsync(mail, entryPoint);

        // Assert
        failure.Is(SystemMailErrorKind.Configuration, Hints.AuthNotOffered($"{server.Host}:{server.Port}", SmtpSecurity.StartTls), SmtpDiagnosticStage.Authenticate);
        Assert.Empty(await server.GetMessagesAsync(ct));
    }

    private static void Basic(SystemMailOptions options, string password)
    {
        options.Authentication = SmtpAuthenticationType.Basic;
        options.Username = User;
        options.Password = password;
    }
}
