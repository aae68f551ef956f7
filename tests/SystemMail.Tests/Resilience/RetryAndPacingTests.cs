using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.Resilience;

/// <summary>Retries, pacing and cancellation against a real SMTP server that misbehaves on purpose.</summary>
public sealed class RetryAndPacingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Uri Link = new("https://portal.acme.test/activate?t=1");

    private static Task<SentMail> SendAsync(TestMailer mail, CancellationToken cancellationToken, string to = "user@acme.test") =>
        mail.Mailer.SendActivationAsync(to, Link, TimeSpan.FromHours(1), cancellationToken: cancellationToken);

    private static TestMailer Mailer(SmtpTestServer server, Action<SystemMailOptions>? configure = null) =>
        TestMailer.For(
            server,
            o =>
            {
                o.Authentication = SmtpAuthenticationType.None;
                o.Retry.MaxRetryAttempts = 3;
                o.Retry.Delay = TimeSpan.FromMilliseconds(50);
                o.Retry.UseJitter = false;
                configure?.Invoke(o);
            },
            services => services.AddMetrics());

    private static Task<SmtpTestServer> StartServerAsync() =>
        SmtpTestServer.StartAsync(new SmtpTestServerOptions { AuthOptional = true }, Ct);

    [Fact]
    public async Task SendAsync_TwoTransient451sThenOk_RetriedAndDeliveredOnce()
    {
        await using var server = await StartServerAsync();
        await server.SetBehaviourAsync(new SmtpTestServerBehaviour { FailNext = [new("MAIL", 2, 451, "4.3.0 Temporary failure, try again later")] }, Ct);
        await using var mail = Mailer(server);
        using var retries = new MetricCollector<long>(mail.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), "SystemMail", "systemmail.send.retries");

        var sent = await SendAsync(mail, Ct);

        var received = Assert.Single(await server.GetMessagesAsync(Ct));
        Assert.Equal(sent.MessageId, received.Message.MessageId);
        Assert.Equal(3, (await server.GetStatsAsync(Ct)).CommandCount("MAIL"));
        Assert.Equal(2, retries.GetMeasurementSnapshot().EvaluateAsCounter());
    }

    [Fact]
    public async Task SendAsync_RetriedFailureWithoutServerReply_LogLineSaysStatusNone()
    {
        // Nothing listens on the port: a connection failure has no SMTP status to print.
        await using var mail = TestMailer.Create(o =>
        {
            o.Host = "127.0.0.1";
            o.Port = TcpPorts.GetUnusedPort();
            o.Retry.MaxRetryAttempts = 1;
            o.Retry.Delay = TimeSpan.FromMilliseconds(10);
        });

        await Assert.ThrowsAsync<SystemMailException>(() => SendAsync(mail, Ct));

        var lines = mail.Logs.Collector.GetSnapshot().Where(r => r.Id.Id is 1001 or 1002).Select(r => r.Message).ToList();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, line =>
        {
            Assert.Contains("status none", line, StringComparison.Ordinal);
            Assert.DoesNotContain("status )", line, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task SendAsync_Permanent550_NotRetried()
    {
        await using var server = await StartServerAsync();
        await server.SetBehaviourAsync(new SmtpTestServerBehaviour { FailNext = [new("MAIL", 5, 550, "5.7.1 Sender not allowed")] }, Ct);
        await using var mail = Mailer(server);

        var ex = await Assert.ThrowsAsync<SystemMailException>(() => SendAsync(mail, Ct));

        Assert.Equal(SystemMailErrorKind.SenderRejected, ex.Kind);
        Assert.Equal(1, (await server.GetStatsAsync(Ct)).CommandCount("MAIL"));
    }

    [Fact]
    public async Task SendAsync_TransientFailureKeepsComing_GivesUpAfterMaxRetryAttempts()
    {
        await using var server = await StartServerAsync();
        await server.SetBehaviourAsync(new SmtpTestServerBehaviour { FailNext = [new("RCPT", 10, 452, "4.5.3 Too many recipients")] }, Ct);
        await using var mail = Mailer(server, o => o.Retry.MaxRetryAttempts = 2);

        var ex = await Assert.ThrowsAsync<SystemMailException>(() => SendAsync(mail, Ct));

        Assert.Equal(SystemMailErrorKind.Transient, ex.Kind);
        Assert.Equal(452, ex.StatusCode);
        Assert.Equal(3, (await server.GetStatsAsync(Ct)).CommandCount("RCPT"));
        Assert.Empty(await server.GetMessagesAsync(Ct));
    }

    [Fact]
    public async Task SendAsync_ConnectionCutWhileSending_RetriedOnANewConnection()
    {
        await using var server = await StartServerAsync();
        // Every first connection is cut at RCPT; the retry opens a new one.
        await server.SetBehaviourAsync(new SmtpTestServerBehaviour { Chaos = new SmtpTestChaos(DropRate: 1, FailRate: 0) }, Ct);
        await using var mail = Mailer(server, o => o.Retry.MaxRetryAttempts = 2);
        var first = SendAsync(mail, Ct);
        await server.WaitForStatsAsync(s => s.ChaosDrops >= 1, TimeSpan.FromSeconds(10), Ct);
        await server.SetBehaviourAsync(new SmtpTestServerBehaviour(), Ct);

        await first;

        Assert.Single(await server.GetMessagesAsync(Ct));
        Assert.True((await server.GetStatsAsync(Ct)).Connections >= 2);
    }

    [Fact]
    public async Task SendAsync_BurstOverTheSendingLimit_PacedToTheWindow()
    {
        // 3 mails per 2 s window (6 segments): no 1 s stretch may see more than 3 arrivals. The connections are opened
        // first and their permits given back, so an arrival follows its permit by one round trip, not by a connect and
        // TLS handshake that only the first mails would pay; the second of slack absorbs a busy machine's stalls.
        await using var server = await StartServerAsync();
        await using var mail = Mailer(server, o =>
        {
            o.PoolSize = 3;
            o.RateLimit.PermitLimit = 3;
            o.RateLimit.Window = TimeSpan.FromSeconds(2);
        });
        await Task.WhenAll(Enumerable.Range(0, 3).Select(i => SendAsync(mail, Ct, $"warm{i}@acme.test")));
        await Task.Delay(TimeSpan.FromMilliseconds(2500), Ct);
        using var waits = new MetricCollector<long>(mail.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), "SystemMail", "systemmail.throttle.waits");
        var started = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, 9).Select(i => SendAsync(mail, Ct, $"user{i}@acme.test")));

        var arrivals = (await server.GetMessagesAsync(Ct)).Where(m => m.RcptTo.Single().StartsWith("user", StringComparison.Ordinal)).Select(m => m.ReceivedAt).Order().ToList();
        Assert.Equal(9, arrivals.Count);
        var busiest = arrivals.Max(a => arrivals.Count(b => b >= a && b < a.AddMilliseconds(1000)));
        Assert.True(busiest <= 3, $"{busiest} mails arrived within one second");
        Assert.True(started.Elapsed >= TimeSpan.FromSeconds(3.5), $"9 mails at 3 per window took only {started.Elapsed}");
        Assert.Equal(6, waits.GetMeasurementSnapshot().EvaluateAsCounter());
    }

    [Fact]
    public async Task SendAsync_LimitReachedAndQueueFull_ThrottledWithRetryAfter()
    {
        await using var server = await StartServerAsync();
        await using var mail = Mailer(server, o =>
        {
            o.RateLimit.PermitLimit = 1;
            o.RateLimit.Window = TimeSpan.FromSeconds(30);
            o.RateLimit.QueueLimit = 0;
        });
        await SendAsync(mail, Ct);

        var ex = await Assert.ThrowsAsync<SystemMailException>(() => SendAsync(mail, Ct));

        Assert.Equal(SystemMailErrorKind.Throttled, ex.Kind);
        Assert.False(ex.IsTransient);
        Assert.NotNull(ex.RetryAfter);
        Assert.InRange(ex.RetryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        Assert.Contains("Send again after", ex.GetHint(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Single(await server.GetMessagesAsync(Ct));
    }

    [Fact]
    public async Task SendAsync_LimitReachedAndQueueTimeoutPasses_Throttled()
    {
        await using var server = await StartServerAsync();
        await using var mail = Mailer(server, o =>
        {
            o.RateLimit.PermitLimit = 1;
            o.RateLimit.Window = TimeSpan.FromSeconds(30);
            o.RateLimit.QueueTimeout = TimeSpan.FromMilliseconds(300);
        });
        await SendAsync(mail, Ct);
        var started = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<SystemMailException>(() => SendAsync(mail, Ct));

        Assert.Equal(SystemMailErrorKind.Throttled, ex.Kind);
        Assert.True(started.Elapsed >= TimeSpan.FromMilliseconds(250), $"gave up after {started.Elapsed}");
        Assert.Single(await server.GetMessagesAsync(Ct));
    }

    [Fact]
    public async Task SendAsync_CancelledWhileServerIsSlow_ReturnsPromptlyAndLeavesNoConnectionBehind()
    {
        await using var server = await StartServerAsync();
        await server.SetBehaviourAsync(new SmtpTestServerBehaviour { DataDelayMs = 8000 }, Ct);
        await using var mail = Mailer(server, o => o.PoolSize = 1);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(300));
        var started = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => SendAsync(mail, cancel.Token));

        Assert.True(started.Elapsed < TimeSpan.FromSeconds(3), $"cancellation took {started.Elapsed}");
        Assert.Equal(0, mail.Pool.OpenConnections);
        Assert.Equal(0, mail.Pool.IdleConnections);

        // The pool's only slot is free again: the next mail goes out on a new connection.
        await server.SetBehaviourAsync(new SmtpTestServerBehaviour(), Ct);
        await SendAsync(mail, Ct, "next@acme.test");
        Assert.Contains(await server.GetMessagesAsync(Ct), m => m.RcptTo.Contains("next@acme.test"));
    }

    [Fact]
    public async Task SendAsync_Office365Template_CarriesThirtyAMinute()
    {
        var settings = SmtpSettings.Create(
            new SystemMailOptions { From = "a@contoso.com", Provider = "office365", Authentication = SmtpAuthenticationType.Basic, Username = "a@contoso.com", Password = "p" },
            new SmtpProviderCatalog([]));

        var limit = SendPolicy.EffectiveLimit(settings, new SmtpRateLimitOptions());
        var overridden = SendPolicy.EffectiveLimit(settings, new SmtpRateLimitOptions { PermitLimit = 10 });
        var off = SendPolicy.EffectiveLimit(settings, new SmtpRateLimitOptions { Enabled = false });

        Assert.Equal((30, TimeSpan.FromMinutes(1)), (limit!.PermitLimit, limit.Window));
        Assert.Equal((10, TimeSpan.FromMinutes(1)), (overridden!.PermitLimit, overridden.Window));
        Assert.Null(off);
        await Task.CompletedTask;
    }
}
