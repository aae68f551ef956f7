using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SystemMail.EntityFrameworkCore.Tests.Infrastructure;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.EntityFrameworkCore.Tests.Outbox;

/// <summary>
/// The outbox on one provider, through the registration a host makes (<c>AddOutbox</c>), each test with a new
/// database and a real SMTP server on loopback. A class per provider runs them all.
/// </summary>
public abstract partial class OutboxTests : IAsyncLifetime
{
    protected static readonly Uri ActivationLink = new("https://portal.example.test/activate?token=Tk9hY2tpdmF0ZQ");

    private readonly DirectoryInfo _keyRing = Directory.CreateTempSubdirectory("systemmail-keys-");
    private readonly List<IAsyncDisposable> _disposables = [];
    private TestDatabase? _database;
    private SmtpTestServer? _server;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected TestDatabase Database => _database ?? throw new InvalidOperationException("No database yet.");

    protected SmtpTestServer Server => _server ?? throw new InvalidOperationException("No server yet.");

    public async ValueTask InitializeAsync()
    {
        _database = await CreateDatabaseAsync(Ct);
        _server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { AuthOptional = true }, Ct);
        await using var host = OutboxHost.Create(Database, Server.Port, _keyRing.FullName);
        await using var context = await host.CreateContextAsync(Ct);
        await context.Database.EnsureCreatedAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var disposable in Enumerable.Reverse(_disposables))
        {
            await disposable.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        _keyRing.Delete(recursive: true);
    }

    [Fact]
    public async Task QueueActivationAsync_Drained_DeliveredOnceWithTheQueuedMessageId()
    {
        var host = Host();

        var id = await host.Outbox.QueueActivationAsync("alice@example.test", ActivationLink, TimeSpan.FromHours(2), cancellationToken: Ct);
        await host.DrainAsync(Ct);

        var mail = await host.Outbox.GetAsync(id, Ct);
        Assert.NotNull(mail);
        Assert.Equal(OutboxMailStatus.Sent, mail.Status);
        Assert.Equal("Activation", mail.Kind);
        Assert.Equal(1, mail.Attempts);
        var received = Assert.Single(await Server.GetMessagesAsync(Ct));
        Assert.Equal(mail.MessageId, received.Message.MessageId);
        Assert.Equal(OutboxHost.Sender, received.MailFrom);
        Assert.Contains(ActivationLink.AbsoluteUri, received.Message.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueueActivationAsync_NoNotAfter_NotAfterIsTheLinkLifetime()
    {
        var host = Host();
        var before = DateTimeOffset.UtcNow;

        var id = await host.Outbox.QueueActivationAsync("alice@example.test", ActivationLink, TimeSpan.FromMinutes(30), cancellationToken: Ct);

        var mail = await host.Outbox.GetAsync(id, Ct);
        Assert.InRange(mail!.NotAfter, before.AddMinutes(30), DateTimeOffset.UtcNow.AddMinutes(30));
        Assert.Equal(OutboxMailStatus.Pending, mail.Status);
    }

    [Fact]
    public async Task In_HostRollsBack_NothingQueuedNorSent()
    {
        var host = Host();
        Guid id;
        await using (var context = await host.CreateContextAsync(Ct))
        await using (var transaction = await context.Database.BeginTransactionAsync(Ct))
        {
            context.Users.Add(new HostUser { Email = "alice@example.test" });
            id = await host.Outbox.In(context).QueueActivationAsync("alice@example.test", ActivationLink, TimeSpan.FromHours(2), cancellationToken: Ct);
            await context.SaveChangesAsync(Ct);
            await transaction.RollbackAsync(Ct);
        }

        await host.Dispatcher.RunRoundAsync(Ct);

        Assert.Null(await host.Outbox.GetAsync(id, Ct));
        Assert.Empty(await Server.GetMessagesAsync(Ct));
    }

    [Fact]
    public async Task In_HostCommits_MailSavedWithTheHostRowAndSent()
    {
        var host = Host();
        Guid id;
        await using (var context = await host.CreateContextAsync(Ct))
        {
            context.Users.Add(new HostUser { Email = "alice@example.test" });
            id = await host.Outbox.In(context).QueueActivationAsync("alice@example.test", ActivationLink, TimeSpan.FromHours(2), cancellationToken: Ct);

            Assert.Null(await host.Outbox.GetAsync(id, Ct));
            await context.SaveChangesAsync(Ct);
        }

        await host.DrainAsync(Ct);

        Assert.Equal(OutboxMailStatus.Sent, (await host.Outbox.GetAsync(id, Ct))!.Status);
        Assert.Single(await Server.GetMessagesAsync(Ct));
        await using var check = await host.CreateContextAsync(Ct);
        Assert.Equal(1, await check.Users.CountAsync(Ct));
    }

    [Fact]
    public async Task QueueAsync_SameIdempotencyKeyTwice_ReturnsTheFirstIdAndSendsOneMail()
    {
        var host = Host();
        var options = new OutboxMailOptions { IdempotencyKey = "activation:42" };

        var first = await host.Outbox.QueueActivationAsync("alice@example.test", ActivationLink, TimeSpan.FromHours(2), options: options, cancellationToken: Ct);
        var second = await host.Outbox.QueueActivationAsync("alice@example.test", ActivationLink, TimeSpan.FromHours(2), options: options, cancellationToken: Ct);
        Guid third;
        await using (var context = await host.CreateContextAsync(Ct))
        {
            third = await host.Outbox.In(context).QueueActivationAsync("alice@example.test", ActivationLink, TimeSpan.FromHours(2), options: options, cancellationToken: Ct);
            await context.SaveChangesAsync(Ct);
        }

        await host.DrainAsync(Ct);

        Assert.Equal(first, second);
        Assert.Equal(first, third);
        Assert.Single(await Server.GetMessagesAsync(Ct));
    }

    [Fact]
    public async Task Dispatch_NotAfterPassed_ExpiredAndNotSent()
    {
        var host = Host();
        var id = await host.Outbox.QueuePasswordResetAsync(
            "alice@example.test",
            new Uri("https://portal.example.test/reset?code=abc"),
            TimeSpan.FromMinutes(30),
            options: new OutboxMailOptions { NotAfter = DateTimeOffset.UtcNow.AddMilliseconds(200) },
            cancellationToken: Ct);
        await Task.Delay(300, Ct);

        await host.Dispatcher.RunRoundAsync(Ct);

        var mail = await host.Outbox.GetAsync(id, Ct);
        Assert.Equal(OutboxMailStatus.Expired, mail!.Status);
        Assert.Equal(0, mail.Attempts);
        Assert.Empty(await Server.GetMessagesAsync(Ct));
        await using var context = await host.CreateContextAsync(Ct);
        Assert.Null(await context.SystemMailOutbox.Where(m => m.Id == id).Select(m => m.Body).SingleAsync(Ct));
    }

    [Fact]
    public async Task Dispatch_RecipientRejected_DeadLetteredWithKindCodeAndHint()
    {
        var host = Host();
        await Server.SetBehaviourAsync(new SmtpTestServerBehaviour { RejectRecipients = [new SmtpTestRecipientRule("gone@example.test", 550, "5.1.1 No such user")] }, Ct);
        var id = await host.Outbox.QueueActivationAsync("gone@example.test", ActivationLink, TimeSpan.FromHours(2), cancellationToken: Ct);

        await host.Dispatcher.RunRoundAsync(Ct);

        var mail = await host.Outbox.GetAsync(id, Ct);
        Assert.Equal(OutboxMailStatus.DeadLettered, mail!.Status);
        Assert.Equal(SystemMailErrorKind.RecipientRejected, mail.LastErrorKind);
        Assert.Equal(550, mail.LastStatusCode);
        Assert.False(string.IsNullOrEmpty(mail.LastHintId));
        Assert.Equal(1, mail.Attempts);
        Assert.Empty(await Server.GetMessagesAsync(Ct));
    }

    [Fact]
    public async Task Dispatch_ServerDown_RetriedLaterAndDeliveredOnceWhenBack()
    {
        await using var forwarder = new SwitchableForwarder(Server.Port);
        var host = Host(forwarder.Port);
        var id = await host.Outbox.QueueActivationAsync("alice@example.test", ActivationLink, TimeSpan.FromHours(2), cancellationToken: Ct);

        await host.Dispatcher.RunRoundAsync(Ct);

        var waiting = await host.Outbox.GetAsync(id, Ct);
        Assert.Equal(OutboxMailStatus.Pending, waiting!.Status);
        Assert.Equal(SystemMailErrorKind.Connection, waiting.LastErrorKind);
        Assert.Equal(1, waiting.Attempts);
        Assert.True(waiting.NextAttemptAt > waiting.QueuedAt);

        forwarder.Up();
        await host.DrainAsync(Ct);

        var sent = await host.Outbox.GetAsync(id, Ct);
        Assert.Equal(OutboxMailStatus.Sent, sent!.Status);
        Assert.Equal(2, sent.Attempts);
        Assert.Single(await Server.GetMessagesAsync(Ct));
    }

    [Fact]
    public async Task Dispatch_MailLeasedByADeadInstance_TakenOverWhenTheLeaseEnds()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var host = Host(time: time);
        var id = await host.Outbox.QueueActivationAsync("alice@example.test", ActivationLink, TimeSpan.FromHours(2), cancellationToken: Ct);
        var dead = await host.Store.ClaimAsync(10, "dead-instance", TimeSpan.FromMinutes(5), Ct);
        Assert.Equal(id, Assert.Single(dead).Id);

        time.Advance(TimeSpan.FromMinutes(4));
        await host.Dispatcher.RunRoundAsync(Ct);
        Assert.Empty(await Server.GetMessagesAsync(Ct));
        time.Advance(TimeSpan.FromMinutes(2));
        await host.DrainAsync(Ct);

        Assert.Equal(OutboxMailStatus.Sent, (await host.Outbox.GetAsync(id, Ct))!.Status);
        Assert.Single(await Server.GetMessagesAsync(Ct));
    }

    [Fact]
    public async Task Queue_BodyAtRest_ProtectedAndPurgedAfterDelivery()
    {
        var host = Host();
        var id = await host.Outbox.QueueActivationAsync("alice@example.test", ActivationLink, TimeSpan.FromHours(2), cancellationToken: Ct);

        byte[] stored;
        await using (var context = await host.CreateContextAsync(Ct))
        {
            stored = (await context.SystemMailOutbox.Where(m => m.Id == id).Select(m => m.Body).SingleAsync(Ct))!;
        }

        using (var readable = host.Services.GetRequiredService<OutboxComposer>().ReadBody(stored))
        {
            Assert.Contains(ActivationLink.AbsoluteUri, readable.HtmlBody, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("alice@example.test", System.Text.Encoding.Latin1.GetString(stored), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Tk9hY2tpdmF0ZQ", System.Text.Encoding.Latin1.GetString(stored), StringComparison.Ordinal);
        await host.DrainAsync(Ct);
        await using (var context = await host.CreateContextAsync(Ct))
        {
            Assert.Null(await context.SystemMailOutbox.Where(m => m.Id == id).Select(m => m.Body).SingleAsync(Ct));
        }
    }

    [Fact]
    public async Task RetryAsync_DeadLetteredMail_SentOnceTheCauseIsFixed()
    {
        var host = Host();
        await Server.SetBehaviourAsync(new SmtpTestServerBehaviour { RejectRecipients = [new SmtpTestRecipientRule("bob@example.test", 550, "5.7.1 Relay denied")] }, Ct);
        var id = await host.Outbox.QueueAccountActivatedAsync("bob@example.test", new Uri("https://portal.example.test/login"), cancellationToken: Ct);
        await host.Dispatcher.RunRoundAsync(Ct);
        Assert.Equal(OutboxMailStatus.DeadLettered, Assert.Single(await host.Outbox.ListAsync(OutboxMailStatus.DeadLettered, cancellationToken: Ct)).Status);
        await Server.SetBehaviourAsync(new SmtpTestServerBehaviour(), Ct);

        Assert.True(await host.Outbox.RetryAsync(id, Ct));
        await host.DrainAsync(Ct);

        Assert.Equal(OutboxMailStatus.Sent, (await host.Outbox.GetAsync(id, Ct))!.Status);
        Assert.Single(await Server.GetMessagesAsync(Ct));
        Assert.False(await host.Outbox.RetryAsync(id, Ct));
    }

    [Fact]
    public async Task CancelAsync_PendingMail_CancelledAndNeverSent()
    {
        var host = Host();
        var id = await host.Outbox.QueueActivationAsync("alice@example.test", ActivationLink, TimeSpan.FromHours(2), cancellationToken: Ct);

        Assert.True(await host.Outbox.CancelAsync(id, Ct));
        await host.Dispatcher.RunRoundAsync(Ct);

        Assert.Equal(OutboxMailStatus.Cancelled, (await host.Outbox.GetAsync(id, Ct))!.Status);
        Assert.Empty(await Server.GetMessagesAsync(Ct));
        Assert.False(await host.Outbox.CancelAsync(id, Ct));
    }

    protected abstract Task<TestDatabase> CreateDatabaseAsync(CancellationToken cancellationToken);

    private protected OutboxHost Host(int? port = null, Action<SystemMailOptions>? configure = null, Action<SystemMailOutboxOptions>? outbox = null, TimeProvider? time = null)
    {
        var host = OutboxHost.Create(Database, port ?? Server.Port, _keyRing.FullName, configure, outbox, time);
        _disposables.Add(host);
        return host;
    }
}
