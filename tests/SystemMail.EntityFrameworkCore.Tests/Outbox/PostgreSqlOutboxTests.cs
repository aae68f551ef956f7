using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SystemMail.EntityFrameworkCore.Tests.Infrastructure;

namespace SystemMail.EntityFrameworkCore.Tests.Outbox;

/// <summary>The outbox on a real PostgreSQL (a private cluster the tests start), and several instances over one database.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlOutboxTests(PostgreSqlFixture postgres) : OutboxTests
{
    [Fact]
    public async Task Dispatchers_ThreeInstancesOneDatabase_EachMailOnceAndArrivalsWithinTheLimitPerWindow()
    {
        const int Mails = 45;
        const int Limit = 15;
        var window = TimeSpan.FromSeconds(1);
        var instances = Enumerable.Range(1, 3)
            .Select(i => Host(
                configure: o =>
                {
                    o.RateLimit.PermitLimit = Limit;
                    o.RateLimit.Window = window;
                },
                outbox: o =>
                {
                    o.InstanceName = $"instance-{i}";
                    o.BatchSize = 10;
                }))
            .ToList();
        var ids = new List<Guid>();
        for (var i = 0; i < Mails; i++)
        {
            ids.Add(await instances[i % 3].Outbox.QueueVerificationCodeAsync($"user{i}@example.test", $"{i:D6}", TimeSpan.FromMinutes(10), cancellationToken: Ct));
        }

        var dispatchers = instances.SelectMany(h => h.Services.GetServices<IHostedService>()).ToList();
        foreach (var dispatcher in dispatchers)
        {
            await dispatcher.StartAsync(Ct);
        }

        try
        {
            await WaitUntilAsync(async () => (await instances[0].Store.PendingAsync(Ct)).Count == 0, TimeSpan.FromSeconds(30));
        }
        finally
        {
            foreach (var dispatcher in dispatchers)
            {
                await dispatcher.StopAsync(CancellationToken.None);
            }
        }

        var received = await Server.GetMessagesAsync(Ct);
        var sent = new List<OutboxMail>();
        foreach (var id in ids)
        {
            sent.Add((await instances[0].Outbox.GetAsync(id, Ct))!);
        }

        Assert.All(sent, m => Assert.Equal(OutboxMailStatus.Sent, m.Status));
        Assert.Equal(Mails, received.Count);
        Assert.Equal(sent.Select(m => m.MessageId).Order(), received.Select(r => r.Message.MessageId).Order());
        var arrivals = received.Select(r => r.ReceivedAt).Order().ToList();
        var busiest = arrivals.Select((at, i) => arrivals.Skip(i).TakeWhile(next => next - at < window).Count()).Max();
        Assert.InRange(busiest, 1, Limit);
    }

    protected override async Task<TestDatabase> CreateDatabaseAsync(CancellationToken cancellationToken) =>
        new PostgreSqlTestDatabase(await postgres.Server.CreateDatabaseAsync(cancellationToken));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var until = DateTimeOffset.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow > until)
            {
                throw new TimeoutException("The outbox did not drain in time.");
            }

            await Task.Delay(100, Ct);
        }
    }
}
