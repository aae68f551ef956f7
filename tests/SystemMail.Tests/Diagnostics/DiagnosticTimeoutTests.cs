using System.Diagnostics;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.Diagnostics;

/// <summary>Failures that take the timeout to show: a port that drops connects, a server that never greets, a port that waits for TLS.</summary>
public sealed class DiagnosticTimeoutTests
{
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromSeconds(1.5);

    // The wrong-port diagnosis waits out the timeout, then probes with a TLS handshake bounded by the same timeout.
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task TestConnectionAsync_PortDropsConnects_FailsAtConnectWithTheBlockedPortHint()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var blocked = await BacklogFullTcpServer.StartAsync(ct);
        await using var mail = TestMailer.Create(o =>
        {
            o.Host = "127.0.0.1";
            o.Port = blocked.Port;
            o.Timeout = ShortTimeout;
        });
        var stopwatch = Stopwatch.StartNew();

        // Act
        var report = await mail.Diagnostics().TestConnectionAsync(cancellationToken: ct);

        // Assert
        var step = DiagnosticAssert.FailedAt(report, SmtpDiagnosticStage.Connect, SystemMailErrorKind.Timeout, nameof(Hints.ConnectTimeout));
        Assert.Contains("try 587 or 2525", report.Hint, StringComparison.Ordinal);
        Assert.True(step.Duration >= ShortTimeout - TimeSpan.FromMilliseconds(100), $"failed after {step.Duration}");
        Assert.True(stopwatch.Elapsed < ShortTimeout + TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task TestConnectionAsync_ServerNeverGreets_FailsAtGreeting()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var silent = SilentTcpServer.Start();
        await using var mail = TestMailer.Create(o =>
        {
            o.Host = "127.0.0.1";
            o.Port = silent.Port;
            o.Timeout = ShortTimeout;
        });

        // Act
        var report = await mail.Diagnostics().TestConnectionAsync(cancellationToken: ct);

        // Assert
        DiagnosticAssert.FailedAt(report, SmtpDiagnosticStage.Greeting, SystemMailErrorKind.Timeout, nameof(Hints.GreetingTimeout));
        Assert.Equal(SmtpDiagnosticOutcome.Succeeded, report.Steps.Single(s => s.Stage == SmtpDiagnosticStage.Connect).Outcome);
        Assert.Null(report.ServerReply);
        Assert.StartsWith("Connected to smtp://127.0.0.1:", report.Transcript, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestConnectionAsync_StartTlsAgainstImplicitTlsPort_FailsAtGreetingWithSslOnConnectHint()
    {
        // Arrange: Security None takes the same path (the mailer's tests run both); one case keeps the wait short.
        var ct = TestContext.Current.CancellationToken;
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { ImplicitTls = true, AuthOptional = true }, ct);
        await using var mail = TestMailer.For(server, o =>
        {
            o.Security = SmtpSecurity.StartTls;
            o.Timeout = ProbeTimeout;
        });

        // Act
        var report = await mail.Diagnostics().TestConnectionAsync(cancellationToken: ct);

        // Assert
        DiagnosticAssert.FailedAt(report, SmtpDiagnosticStage.Greeting, SystemMailErrorKind.Tls, nameof(Hints.PlainAgainstImplicitTlsPort));
        Assert.Contains("SslOnConnect", report.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestConnectionAsync_CallerCancels_ThrowsInsteadOfReporting()
    {
        // Arrange
        await using var silent = SilentTcpServer.Start();
        await using var mail = TestMailer.Create(o =>
        {
            o.Host = "127.0.0.1";
            o.Port = silent.Port;
        });
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(300));

        // Act
        var ex = await Record.ExceptionAsync(() => mail.Diagnostics().TestConnectionAsync(cancellationToken: cancel.Token));

        // Assert
        Assert.IsAssignableFrom<OperationCanceledException>(ex);
        Assert.Equal(1, silent.AcceptedConnections);
    }
}
