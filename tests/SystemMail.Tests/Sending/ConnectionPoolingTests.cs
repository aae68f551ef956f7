using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.Sending;

public sealed class ConnectionPoolingTests
{
    private const string User = "mailer@systemmail.test";
    private const string Password = "Pw-pooling";

    [Fact]
    public async Task SendTestMailAsync_TwentyMailsWithPoolSizeOne_UsesOneConnectionAndOneAuth()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var server = await StartServerAsync(ct);
        await using var mail = CreateMailer(server, poolSize: 1);

        // Act
        for (var i = 0; i < 20; i++)
        {
            await mail.Mailer.SendTestMailAsync($"user{i}@example.com", cancellationToken: ct);
        }

        // Assert
        var stats = await server.GetStatsAsync(ct);
        Assert.Equal(1, stats.Connections);
        Assert.Single(stats.AuthAttempts);
        Assert.Equal(1, stats.CommandCount("STARTTLS"));
        Assert.Equal(1, stats.CommandCount("AUTH"));
        Assert.Equal(20, stats.CommandCount("MAIL"));
        Assert.Equal(20, stats.Messages);
        Assert.Equal(1, mail.Pool.OpenConnections);
        Assert.Equal(1, mail.Pool.IdleConnections);
    }

    [Fact]
    public async Task SendTestMailAsync_ConcurrentMailsWithPoolSizeTwo_OpensAtMostTwoConnections()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var server = await StartServerAsync(ct);
        await using var mail = CreateMailer(server, poolSize: 2);

        // Act
        var sent = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => mail.Mailer.SendTestMailAsync($"user{i}@example.com", cancellationToken: ct)));

        // Assert
        var stats = await server.GetStatsAsync(ct);
        Assert.InRange(stats.Connections, 1, 2);
        Assert.Equal(stats.Connections, stats.AuthAttempts.Count);
        var received = await server.GetMessagesAsync(ct);
        Assert.Equal(sent.Select(s => s.MessageId).Order(), received.Select(r => r.Message.MessageId).Order());
    }

    [Fact]
    public async Task SendTestMailAsync_ServerClosesConnectionAfterEachMail_EveryMailDeliveredOnce()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var server = await StartServerAsync(ct);
        await server.SetBehaviourAsync(new SmtpTestServerBehaviour { CloseAfterMessages = 1 }, ct);
        await using var mail = CreateMailer(server, poolSize: 1);

        // Act
        var sent = new List<SentMail>();
        for (var i = 0; i < 5; i++)
        {
            sent.Add(await mail.Mailer.SendTestMailAsync($"user{i}@example.com", cancellationToken: ct));
        }

        // Assert
        await AssertEachDeliveredOnceAsync(server, sent, ct);
        var stats = await server.GetStatsAsync(ct);
        Assert.Equal(5, stats.Connections);
        Assert.Equal(5, stats.AuthAttempts.Count);
        Assert.Equal(4, mail.Logs.Collector.GetSnapshot().Count(r => r.Id.Name == "ReusedConnectionDropped"));
    }

    [Theory]
    [InlineData("4.4.2 localhost Error: timeout exceeded")]
    [InlineData("4.4.2 mx.example.com Timeout - closing connection.")]
    [InlineData("4.4.1 Connection timed out. Total session duration: 00:10:00.0312541")]
    [InlineData("4.3.2 Service shutting down, closing transmission channel")]
    public async Task SendTestMailAsync_ServerSends421AndClosesIdleConnection_NextMailDeliveredOnceOnNewConnection(string closeText)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var server = await StartServerAsync(ct);
        await server.SetBehaviourAsync(
            new SmtpTestServerBehaviour { CloseAfterMessages = 1, CloseReply = new SmtpTestReply(421, closeText) },
            ct);
        await using var mail = CreateMailer(server, poolSize: 1);

        // Act
        var sent = new List<SentMail>();
        for (var i = 0; i < 3; i++)
        {
            sent.Add(await mail.Mailer.SendTestMailAsync($"user{i}@example.com", cancellationToken: ct));
        }

        // Assert
        await AssertEachDeliveredOnceAsync(server, sent, ct);
        Assert.Equal(3, (await server.GetStatsAsync(ct)).Connections);
        Assert.Equal(2, mail.Logs.Collector.GetSnapshot().Count(r => r.Id.Name == "ReusedConnectionDropped"));
    }

    [Fact]
    public async Task SendTestMailAsync_ReusedConnectionCutAfterServerStoredTheMailWithRetriesOff_FailsAndDeliversOnce()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var server = await StartServerAsync(ct);
        await using var mail = TestMailer.For(server, o =>
        {
            o.Authentication = SmtpAuthenticationType.Basic;
            o.Username = User;
            o.Password = Password;
            o.PoolSize = 1;
            o.Retry = new SmtpRetryOptions { MaxRetryAttempts = 0 };
        });
        await mail.Mailer.SendTestMailAsync("first@example.com", cancellationToken: ct);
        await server.SetBehaviourAsync(new SmtpTestServerBehaviour { FailNext = [SmtpTestCommandFailure.Cut("DATA")] }, ct);

        // Act: the reused connection was alive (MAIL FROM accepted), so the cut is not an idle close to resend at once.
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => mail.Mailer.SendTestMailAsync("second@example.com", cancellationToken: ct));

        // Assert
        Assert.Equal(SystemMailErrorKind.Connection, ex.Kind);
        var stats = await server.GetStatsAsync(ct);
        Assert.Equal(["first@example.com", "second@example.com"], (await server.GetMessagesAsync(ct)).Select(r => r.RcptTo.Single()));
        Assert.Single(stats.DroppedAfterData);
        Assert.Equal(1, stats.Connections);
        Assert.DoesNotContain(mail.Logs.Collector.GetSnapshot(), r => r.Id.Name == "ReusedConnectionDropped");
    }

    [Fact]
    public async Task DisposeAsync_IdleConnection_SendsQuit()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var server = await StartServerAsync(ct);
        var mail = CreateMailer(server, poolSize: 1);
        await mail.Mailer.SendTestMailAsync("someone@example.com", cancellationToken: ct);

        // Act
        await mail.DisposeAsync();

        // Assert
        var stats = await server.WaitForStatsAsync(s => s.OpenConnections == 0, TimeSpan.FromSeconds(10), ct);
        Assert.Equal(1, stats.CommandCount("QUIT"));
        Assert.Equal(1, stats.ClosedConnections);
    }

    [Fact]
    public async Task SendTestMailAsync_NoMailForLongerThanConnectionIdleTimeout_IdleConnectionClosedWithQuitWithoutAnotherSend()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await StartServerAsync(ct);
        await using var mail = CreateMailer(server, poolSize: 1, clock, TimeSpan.FromSeconds(60));
        await mail.Mailer.SendTestMailAsync("someone@example.com", cancellationToken: ct);

        // Act
        clock.Advance(TimeSpan.FromSeconds(59));
        var idleBefore = mail.Pool.IdleConnections;
        var before = await server.GetStatsAsync(ct);
        clock.Advance(TimeSpan.FromSeconds(1));

        // Assert
        Assert.Equal(1, idleBefore);
        Assert.Equal(1, before.OpenConnections);
        Assert.Equal(0, before.CommandCount("QUIT"));
        var after = await server.WaitForStatsAsync(s => s.OpenConnections == 0, TimeSpan.FromSeconds(10), ct);
        Assert.Equal(1, after.CommandCount("QUIT"));
        await WaitForPoolAsync(mail, open: 0, ct);
        Assert.Equal(0, mail.Pool.IdleConnections);
        Assert.Contains(mail.Logs.Collector.GetSnapshot(), r => r.Id.Name == "ConnectionClosed" && r.Message.Contains("idle too long", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendTestMailAsync_ConnectionReusedBeforeItsIdleTimeout_KeptUntilTheTimeoutCountedFromItsLastMail()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await StartServerAsync(ct);
        await using var mail = CreateMailer(server, poolSize: 1, clock, TimeSpan.FromSeconds(60));
        await mail.Mailer.SendTestMailAsync("first@example.com", cancellationToken: ct);
        clock.Advance(TimeSpan.FromSeconds(40));
        await mail.Mailer.SendTestMailAsync("second@example.com", cancellationToken: ct);

        // Act: 80 s after the first mail, 40 s after the second; then past 60 s after the second.
        clock.Advance(TimeSpan.FromSeconds(40));
        var idleKept = mail.Pool.IdleConnections;
        var kept = await server.GetStatsAsync(ct);
        clock.Advance(TimeSpan.FromSeconds(20));

        // Assert
        Assert.Equal(1, idleKept);
        Assert.Equal(1, kept.Connections);
        Assert.Equal(1, kept.OpenConnections);
        Assert.Equal(0, kept.CommandCount("QUIT"));
        var closed = await server.WaitForStatsAsync(s => s.OpenConnections == 0, TimeSpan.FromSeconds(10), ct);
        Assert.Equal(1, closed.CommandCount("QUIT"));
        Assert.Equal(2, closed.Messages);
        await WaitForPoolAsync(mail, open: 0, ct);
    }

    [Fact]
    public async Task SendTestMailAsync_ReloadShortensConnectionIdleTimeout_NextIdleConnectionClosedAfterTheShorterTimeout()
    {
        // Arrange: the timer is first set an hour ahead for the connection of the first mail.
        var ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await StartServerAsync(ct);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SystemMail:Provider"] = "custom",
            ["SystemMail:Host"] = server.Host,
            ["SystemMail:Port"] = server.Port.ToString(CultureInfo.InvariantCulture),
            ["SystemMail:Authentication"] = "Basic",
            ["SystemMail:Username"] = User,
            ["SystemMail:Password"] = Password,
            ["SystemMail:ConnectionIdleTimeout"] = "01:00:00",
        }).Build();
        await using var mail = TestMailer.FromConfiguration(configuration, services => services.AddSingleton<TimeProvider>(clock));
        await mail.Mailer.SendTestMailAsync("first@example.com", cancellationToken: ct);

        // Act: 30 s from now; the reload closes the first connection, the second mail opens another.
        configuration["SystemMail:ConnectionIdleTimeout"] = "00:00:30";
        configuration.Reload();
        await mail.Mailer.SendTestMailAsync("second@example.com", cancellationToken: ct);
        await server.WaitForStatsAsync(s => s.OpenConnections == 1, TimeSpan.FromSeconds(10), ct);
        clock.Advance(TimeSpan.FromSeconds(29));
        var idleBefore = mail.Pool.IdleConnections;
        clock.Advance(TimeSpan.FromSeconds(1));

        // Assert
        Assert.Equal(1, idleBefore);
        Assert.Equal(0, mail.Pool.IdleConnections);
        var stats = await server.WaitForStatsAsync(s => s.OpenConnections == 0, TimeSpan.FromSeconds(10), ct);
        Assert.Equal(2, stats.Connections);
        Assert.Equal(2, stats.CommandCount("QUIT"));
        await WaitForPoolAsync(mail, open: 0, ct);
    }

    /// <summary>The pool counts a connection closed once its QUIT is done, a moment after the server sees it go.</summary>
    private static async Task WaitForPoolAsync(TestMailer mail, int open, CancellationToken ct)
    {
        for (var waited = 0; mail.Pool.OpenConnections != open && waited < 5000; waited += 20)
        {
            await Task.Delay(20, ct);
        }

        Assert.Equal(open, mail.Pool.OpenConnections);
    }

    private static async Task AssertEachDeliveredOnceAsync(SmtpTestServer server, List<SentMail> sent, CancellationToken ct)
    {
        var received = await server.GetMessagesAsync(ct);
        var counts = received.GroupBy(r => r.Message.MessageId ?? string.Empty).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(sent.Count, received.Count);
        Assert.All(sent, s => Assert.Equal(1, counts.GetValueOrDefault(s.MessageId)));
    }

    private static Task<SmtpTestServer> StartServerAsync(CancellationToken ct) =>
        SmtpTestServer.StartAsync(new SmtpTestServerOptions { Users = new Dictionary<string, string> { [User] = Password } }, ct);

    private static TestMailer CreateMailer(SmtpTestServer server, int poolSize) => TestMailer.For(server, o =>
    {
        o.Authentication = SmtpAuthenticationType.Basic;
        o.Username = User;
        o.Password = Password;
        o.PoolSize = poolSize;
    });

    private static TestMailer CreateMailer(SmtpTestServer server, int poolSize, TimeProvider clock, TimeSpan idleTimeout) => TestMailer.For(
        server,
        o =>
        {
            o.Authentication = SmtpAuthenticationType.Basic;
            o.Username = User;
            o.Password = Password;
            o.PoolSize = poolSize;
            o.ConnectionIdleTimeout = idleTimeout;
        },
        services => services.AddSingleton(clock));
}
