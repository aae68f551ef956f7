using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.Connection;

/// <summary>A server that answers the connection with a refusal, sent and diagnosed alike: the greeting, EHLO, STARTTLS.</summary>
public sealed class ServerRefusalTests : IClassFixture<BasicAuthSmtpServerFixture>, IAsyncLifetime
{
    private readonly BasicAuthSmtpServerFixture _fixture;

    public ServerRefusalTests(BasicAuthSmtpServerFixture fixture)
    {
        _fixture = fixture;
    }

    private SmtpTestServer SmtpServer => _fixture.Server;

    private string Endpoint => $"127.0.0.1:{SmtpServer.Port}";

    public ValueTask InitializeAsync() => new(SmtpServer.ResetAsync(TestContext.Current.CancellationToken));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Theory]
    [InlineData(EntryPoint.Send)]
    [InlineData(EntryPoint.Diagnostic)]
    public async Task ConnectAsync_GreetingRefused_FailsWithTheServerRefusedHintAndTheReply(EntryPoint entryPoint)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await SmtpServer.SetBehaviourAsync(new SmtpTestServerBehaviour { GreetingReply = new SmtpTestReply(554, "5.7.1 Service unavailable; Client host [127.0.0.1] blocked using zen.spamhaus.org") }, ct);
        await using var mail = TestMailer.For(SmtpServer, Basic);

        // Act
        var failure = await ConnectionFailure.ProvokeAsync(mail, entryPoint);

        // Assert
        failure.Is(SystemMailErrorKind.Connection, Hints.ServerRefusedConnection(Endpoint), SmtpDiagnosticStage.Greeting);
        failure.Reply(554, "5.7.1", "blocked using zen.spamhaus.org");
        if (failure.Report is { } report)
        {
            Assert.Contains("S: 554 5.7.1 Service unavailable", report.Transcript, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(EntryPoint.Send)]
    [InlineData(EntryPoint.Diagnostic)]
    public async Task ConnectAsync_TooManyConnections_FailsAtTheGreetingAsTransient(EntryPoint entryPoint)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await SmtpServer.SetBehaviourAsync(new SmtpTestServerBehaviour { GreetingReply = new SmtpTestReply(421, "4.7.0 Too many concurrent SMTP connections; please try again later") }, ct);
        await using var mail = TestMailer.For(SmtpServer, Basic);

        // Act
        var failure = await ConnectionFailure.ProvokeAsync(mail, entryPoint);

        // Assert
        failure.Is(SystemMailErrorKind.Transient, Hints.Transient, SmtpDiagnosticStage.Greeting);
        failure.Reply(421, "4.7.0", "Too many concurrent SMTP connections");
    }

    [Theory]
    [InlineData(EntryPoint.Send)]
    [InlineData(EntryPoint.Diagnostic)]
    public async Task ConnectAsync_EhloRefused_FailsWithTheLocalDomainHint(EntryPoint entryPoint)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await SmtpServer.SetBehaviourAsync(new SmtpTestServerBehaviour { EhloReply = new SmtpTestReply(501, "5.5.4 Invalid domain name") }, ct);
        await using var mail = TestMailer.For(SmtpServer, Basic);

        // Act
        var failure = await ConnectionFailure.ProvokeAsync(mail, entryPoint);

        // Assert
        failure.Is(SystemMailErrorKind.Configuration, Hints.EhloRefused(Endpoint), SmtpDiagnosticStage.Ehlo);
        failure.Reply(501, "5.5.4", "Invalid domain name");
        Assert.Contains("LocalDomain", failure.Hint, StringComparison.Ordinal);
        if (failure.Report is { } report)
        {
            // MailKit falls back to HELO; both are refused and both are in the transcript.
            Assert.Contains("C: EHLO client.systemmail.test", report.Transcript, StringComparison.Ordinal);
            Assert.Contains("C: HELO client.systemmail.test", report.Transcript, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(EntryPoint.Send)]
    [InlineData(EntryPoint.Diagnostic)]
    public async Task ConnectAsync_StartTlsRefused_FailsWithTheStartTlsRefusedHint(EntryPoint entryPoint)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await SmtpServer.SetBehaviourAsync(new SmtpTestServerBehaviour { StartTlsReply = new SmtpTestReply(454, "4.7.0 TLS not available due to local problem") }, ct);
        await using var mail = TestMailer.For(SmtpServer, Basic);

        // Act
        var failure = await ConnectionFailure.ProvokeAsync(mail, entryPoint);

        // Assert
        failure.Is(SystemMailErrorKind.Tls, Hints.StartTlsRefused(Endpoint), SmtpDiagnosticStage.Tls);
        failure.Reply(454, "4.7.0", "TLS not available");
        Assert.Empty((await SmtpServer.GetStatsAsync(ct)).AuthAttempts);
        if (failure.Report is { } report)
        {
            Assert.Contains("STARTTLS", report.Capabilities);
        }
    }

    private static void Basic(SystemMailOptions options)
    {
        options.Authentication = SmtpAuthenticationType.Basic;
        options.Username = BasicAuthSmtpServerFixture.User;
        options.Password = BasicAuthSmtpServerFixture.Password;
    }
}
