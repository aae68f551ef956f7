using System.Text.Json;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.Connection;

/// <summary>
/// What the first words of the port tell, sent and diagnosed alike: silence is found out within the greeting timeout,
/// not the whole timeout, and a service that is not SMTP is named so without a word of what it said.
/// </summary>
public sealed class GreetingTests
{
    // Far longer than any of these tests may take: only the greeting timeout can end them early.
    private static readonly TimeSpan LongTimeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(EntryPoint.Send)]
    [InlineData(EntryPoint.Diagnostic)]
    public async Task ConnectAsync_ServerNeverGreets_FailsAfterTheGreetingTimeoutWithItsHint(EntryPoint entryPoint)
    {
        // Arrange
        await using var silent = SilentTcpServer.Start();
        await using var mail = TestMailer.Create(o =>
        {
            o.Host = "127.0.0.1";
            o.Port = silent.Port;
            o.Security = SmtpSecurity.StartTls;
            o.Timeout = LongTimeout;
            o.GreetingTimeout = TimeSpan.FromSeconds(0.3);
        });

        // Act
        var failure = await ConnectionFailure.ProvokeAsync(mail, entryPoint);

        // Assert
        failure.Is(SystemMailErrorKind.Timeout, Hints.GreetingTimeout($"127.0.0.1:{silent.Port}"), SmtpDiagnosticStage.Greeting);
        Assert.Contains("no greeting within 0.3 s", failure.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(EntryPoint.Send)]
    [InlineData(EntryPoint.Diagnostic)]
    public async Task ConnectAsync_StartTlsAgainstImplicitTlsPort_FailsAfterTheGreetingTimeoutWithTheSslOnConnectHint(EntryPoint entryPoint)
    {
        // Arrange: the port waits for a TLS ClientHello and never greets in plain text.
        var ct = TestContext.Current.CancellationToken;
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { ImplicitTls = true, AuthOptional = true }, ct);
        await using var mail = TestMailer.For(server, o =>
        {
            o.Security = SmtpSecurity.StartTls;
            o.Timeout = LongTimeout;
            o.GreetingTimeout = TimeSpan.FromSeconds(0.5);
        });

        // Act
        var failure = await ConnectionFailure.ProvokeAsync(mail, entryPoint);

        // Assert
        failure.Is(SystemMailErrorKind.Tls, Hints.PlainAgainstImplicitTlsPort($"127.0.0.1:{server.Port}"), SmtpDiagnosticStage.Greeting);
        Assert.Empty(await server.GetMessagesAsync(ct));
    }

    [Theory]
    [InlineData(EntryPoint.Send, BannerTcpServer.SshBanner, "OpenSSH")]
    [InlineData(EntryPoint.Diagnostic, BannerTcpServer.SshBanner, "OpenSSH")]
    [InlineData(EntryPoint.Send, BannerTcpServer.HttpResponse, "nginx")]
    [InlineData(EntryPoint.Diagnostic, BannerTcpServer.HttpResponse, "nginx")]
    public async Task ConnectAsync_AnotherServiceOnThePort_FailsAsNotAnSmtpServerWithoutEchoingIt(EntryPoint entryPoint, string banner, string marker)
    {
        // Arrange
        await using var foreign = BannerTcpServer.Start(banner);
        await using var mail = TestMailer.Create(o =>
        {
            o.Host = "127.0.0.1";
            o.Port = foreign.Port;
            o.Security = SmtpSecurity.StartTls;
            o.Timeout = LongTimeout;
        });

        // Act
        var failure = await ConnectionFailure.ProvokeAsync(mail, entryPoint);

        // Assert: named for what it is, and nothing it said in the exception, the report or the logs.
        failure.Is(SystemMailErrorKind.Connection, Hints.NotSmtpServer($"127.0.0.1:{foreign.Port}"), SmtpDiagnosticStage.Greeting);
        Assert.DoesNotContain(marker, failure.Exception?.ToString() ?? string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain(marker, failure.Report is { } report ? JsonSerializer.Serialize(report) : string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain(marker, failure.Report?.ToString() ?? string.Empty, StringComparison.Ordinal);
        Assert.All(mail.Logs.Collector.GetSnapshot(), r => Assert.DoesNotContain(marker, r.Message + r.Exception, StringComparison.Ordinal));
        if (failure.Report is { } diagnosed)
        {
            Assert.Contains("[not an SMTP reply:", diagnosed.Transcript, StringComparison.Ordinal);
            Assert.Null(diagnosed.Greeting);
        }
    }
}
