using System.Diagnostics;
using SystemMail.Tests.Diagnostics;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.Connection;

/// <summary>
/// Failures before the server says a word, sent and diagnosed alike: DNS, TCP, a port that drops connects, a server
/// that never greets, and a port and a security mode that do not belong together.
/// </summary>
public sealed class ConnectionFailureTests
{
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromSeconds(1.5);

    // The wrong-port diagnosis waits out the timeout, then probes with a TLS handshake bounded by the same timeout:
    // long enough for a handshake on a busy two-core machine, short enough to keep the suite fast.
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    [Theory]
    [InlineData(EntryPoint.Send)]
    [InlineData(EntryPoint.Diagnostic)]
    public async Task ConnectAsync_HostNameThatDoesNotResolve_FailsWithHostNotFound(EntryPoint entryPoint)
    {
        // glibc's resolver refuses a name that is not ASCII without sending a query, so no traffic leaves the machine;
        // '.invalid' is reserved never to resolve (RFC 6761) should another resolver ask a DNS server. (A name with a
        // comma no longer gets this far: the validator takes only a bare host name or IP address.)
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Relies on glibc rejecting the name locally.");

        // Arrange
        await using var mail = TestMailer.Create(o =>
        {
            o.Host = "smtp.bücher.invalid";
            o.Port = 587;
        });

        // Act
        var failure = await ConnectionFailure.ProvokeAsync(mail, entryPoint);

        // Assert
        failure.Is(SystemMailErrorKind.Connection, Hints.HostNotFound("smtp.bücher.invalid"), SmtpDiagnosticStage.ResolveHost);
        Assert.Null(failure.Report?.RemoteEndPoint);
        Assert.Equal(0, mail.Pool.OpenConnections);
    }

    [Theory]
    [InlineData(EntryPoint.Send)]
    [InlineData(EntryPoint.Diagnostic)]
    public async Task ConnectAsync_NothingListens_FailsAsRefused(EntryPoint entryPoint)
    {
        // Arrange
        var port = TcpPorts.GetUnusedPort();
        await using var mail = TestMailer.Create(o =>
        {
            o.Host = "127.0.0.1";
            o.Port = port;
            o.Security = SmtpSecurity.StartTls;
        });

        // Act
        var failure = await ConnectionFailure.ProvokeAsync(mail, entryPoint);

        // Assert
        failure.Is(SystemMailErrorKind.Connection, Hints.ConnectionRefused($"127.0.0.1:{port}"), SmtpDiagnosticStage.Connect);
        Assert.Null(failure.StatusCode);
        Assert.Equal(0, mail.Pool.OpenConnections);
    }

    [Theory]
    [InlineData(EntryPoint.Send)]
    [InlineData(EntryPoint.Diagnostic)]
    public async Task ConnectAsync_PortDropsConnects_FailsWithTheBlockedPortHintAfterTheTimeout(EntryPoint entryPoint)
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
        var failure = await ConnectionFailure.ProvokeAsync(mail, entryPoint);

        // Assert
        var step = failure.Is(SystemMailErrorKind.Timeout, Hints.ConnectTimeout($"127.0.0.1:{blocked.Port}"), SmtpDiagnosticStage.Connect);
        Assert.Contains("try 587 or 2525", failure.Hint, StringComparison.Ordinal);
        Assert.True(step is null || step.Duration >= ShortTimeout - TimeSpan.FromMilliseconds(100), $"failed after {step?.Duration}");
        Assert.True(stopwatch.Elapsed < ShortTimeout + TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
    }

    [Theory]
    [InlineData(EntryPoint.Send)]
    [InlineData(EntryPoint.Diagnostic)]
    public async Task ConnectAsync_ServerNeverGreets_FailsWithTheGreetingTimeoutHintWithinTheTimeout(EntryPoint entryPoint)
    {
        // Arrange
        await using var silent = SilentTcpServer.Start();
        await using var mail = TestMailer.Create(o =>
        {
            o.Host = "127.0.0.1";
            o.Port = silent.Port;
            o.Security = SmtpSecurity.StartTls;
            o.Timeout = ShortTimeout;
        });
        var stopwatch = Stopwatch.StartNew();

        // Act
        var failure = await ConnectionFailure.ProvokeAsync(mail, entryPoint);

        // Assert
        stopwatch.Stop();
        failure.Is(SystemMailErrorKind.Timeout, Hints.GreetingTimeout($"127.0.0.1:{silent.Port}"), SmtpDiagnosticStage.Greeting);
        Assert.Null(failure.StatusCode);
        Assert.True(silent.AcceptedConnections >= 1);
        Assert.True(stopwatch.Elapsed < ShortTimeout + TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed}");
        if (failure.Report is { } report)
        {
            Assert.Equal(SmtpDiagnosticOutcome.Succeeded, report.Steps.Single(s => s.Stage == SmtpDiagnosticStage.Connect).Outcome);
            Assert.StartsWith("Connected to smtp://127.0.0.1:", report.Transcript, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(EntryPoint.Send, SmtpSecurity.StartTls)]
    [InlineData(EntryPoint.Send, SmtpSecurity.None)]
    [InlineData(EntryPoint.Diagnostic, SmtpSecurity.StartTls)]
    [InlineData(EntryPoint.Diagnostic, SmtpSecurity.None)]
    public async Task ConnectAsync_PlainGreetingExpectedOnImplicitTlsPort_FailsWithTheSslOnConnectHint(EntryPoint entryPoint, SmtpSecurity security)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { ImplicitTls = true, AuthOptional = true }, ct);
        await using var mail = TestMailer.For(server, o =>
        {
            o.Security = security;
            o.Timeout = ProbeTimeout;
        });

        // Act
        var failure = await ConnectionFailure.ProvokeAsync(mail, entryPoint);

        // Assert
        failure.Is(SystemMailErrorKind.Tls, Hints.PlainAgainstImplicitTlsPort($"127.0.0.1:{server.Port}"), SmtpDiagnosticStage.Greeting);
        Assert.Contains("SslOnConnect", failure.Hint, StringComparison.Ordinal);
        Assert.Empty(await server.GetMessagesAsync(ct));
    }

    [Theory]
    [InlineData(EntryPoint.Send, true)]
    [InlineData(EntryPoint.Send, false)]
    [InlineData(EntryPoint.Diagnostic, true)]
    [InlineData(EntryPoint.Diagnostic, false)]
    public async Task ConnectAsync_SslOnConnectAgainstPlainPort_FailsAtOnceWithTheStartTlsHint(EntryPoint entryPoint, bool portOffersStartTls)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { OfferStartTls = portOffersStartTls, AuthOptional = true }, ct);
        await using var mail = TestMailer.For(server, o => o.Security = SmtpSecurity.SslOnConnect);
        var stopwatch = Stopwatch.StartNew();

        // Act
        var failure = await ConnectionFailure.ProvokeAsync(mail, entryPoint);

        // Assert
        failure.Is(SystemMailErrorKind.Tls, Hints.ImplicitTlsAgainstPlainPort($"127.0.0.1:{server.Port}"), SmtpDiagnosticStage.Tls);
        Assert.Contains("StartTls", failure.Hint, StringComparison.Ordinal);
        Assert.Null(failure.Report?.Tls?.Protocol);
        // The plain greeting answers the TLS hello at once: no waiting for the 10 s timeout.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(8), $"took {stopwatch.Elapsed}");
    }

    [Theory]
    [InlineData(EntryPoint.Send)]
    [InlineData(EntryPoint.Diagnostic)]
    public async Task ConnectAsync_CallerCancels_ThrowsInsteadOfFailing(EntryPoint entryPoint)
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
        var ex = await Record.ExceptionAsync(() => entryPoint == EntryPoint.Send
            ? (Task)mail.Mailer.SendTestMailAsync(ConnectionFailure.Recipient, cancellationToken: cancel.Token)
            : mail.Diagnostics().TestConnectionAsync(cancellationToken: cancel.Token));

        // Assert
        Assert.IsAssignableFrom<OperationCanceledException>(ex);
        Assert.Equal(1, silent.AcceptedConnections);
    }
}
