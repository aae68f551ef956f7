using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using SystemMail.StackExchangeRedis;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.OAuth2;

/// <summary>
/// SystemMail.StackExchangeRedis's store against a real redis-server: compare-and-swap and take are atomic under
/// concurrent callers on separate connections (two host instances), and expiring values expire in Redis.
/// </summary>
public sealed class RedisSystemMailStoreTests : IAsyncLifetime
{
    private const int Callers = 32;
    private const int Rounds = 5;
    private static readonly IServiceProvider NoServices = new ServiceCollection().BuildServiceProvider();
    private readonly List<RedisConnection> _connections = [];
    private RedisTestServer _redis = null!;
    private ConnectionMultiplexer _raw = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _redis = await RedisTestServer.StartAsync(Ct);
        _raw = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }

        await _raw.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task TrySaveAsync_StaleVersion_RefusedAndNewestKept()
    {
        var store = CreateStore();
        var first = await store.TrySaveAsync("tokens", "first"u8.ToArray(), expectedVersion: null, Ct);
        var second = await store.TrySaveAsync("tokens", "second"u8.ToArray(), first, Ct);

        var stale = await store.TrySaveAsync("tokens", "stale"u8.ToArray(), first, Ct);
        var again = await store.TrySaveAsync("tokens", "again"u8.ToArray(), expectedVersion: null, Ct);

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.NotEqual(first, second);
        Assert.Null(stale);
        Assert.Null(again);
        var entry = await store.GetAsync("tokens", Ct);
        Assert.Equal(second, entry!.Version);
        Assert.Equal("second"u8.ToArray(), entry.Value.ToArray());
    }

    [Fact]
    public async Task TrySaveAsync_ExpectedVersionOfAMissingKey_Refused()
    {
        var store = CreateStore();

        var saved = await store.TrySaveAsync("tokens", "value"u8.ToArray(), "0123456789abcdef", Ct);

        Assert.Null(saved);
        Assert.False(await _raw.GetDatabase().KeyExistsAsync("SystemMail:tokens"));
    }

    [Fact]
    public async Task TrySaveAsync_ConcurrentWritersOverOneVersion_ExactlyOneWins()
    {
        var instances = new[] { CreateStore(), CreateStore() };
        var version = await instances[0].TrySaveAsync("tokens", "initial"u8.ToArray(), expectedVersion: null, Ct);
        for (var round = 0; round < Rounds; round++)
        {
            var expected = version;
            var results = await Task.WhenAll(Enumerable.Range(0, Callers).Select(i => Task.Run(
                async () => (Writer: i, Version: await instances[i % 2].TrySaveAsync("tokens", BitConverter.GetBytes(i), expected, Ct)),
                Ct)));

            var winner = Assert.Single(results, r => r.Version is not null);
            var stored = await instances[1].GetAsync("tokens", Ct);
            Assert.Equal(winner.Version, stored!.Version);
            Assert.Equal(BitConverter.GetBytes(winner.Writer), stored.Value.ToArray());
            version = winner.Version;
        }
    }

    [Fact]
    public async Task TakeAsync_ConcurrentTakersOfOneState_ExactlyOneGetsIt()
    {
        var instances = new[] { CreateStore(), CreateStore() };
        for (var round = 0; round < Rounds; round++)
        {
            var key = $"state:{round}";
            var saved = await instances[0].TrySaveExpiringAsync(key, "pending"u8.ToArray(), expectedVersion: null, TimeProvider.System.GetUtcNow().AddMinutes(10), Ct);

            var taken = await Task.WhenAll(Enumerable.Range(0, Callers).Select(i => Task.Run(async () => await instances[i % 2].TakeAsync(key, Ct), Ct)));

            var entry = Assert.Single(taken, t => t is not null);
            Assert.Equal(saved, entry!.Version);
            Assert.Equal("pending"u8.ToArray(), entry.Value.ToArray());
            Assert.False(await _raw.GetDatabase().KeyExistsAsync("SystemMail:" + key));
        }
    }

    [Fact]
    public async Task TrySaveExpiringAsync_ShortLifetime_RedisDropsItAtItsTtl()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = CreateStore(time);

        var saved = await store.TrySaveExpiringAsync("state:short", "pending"u8.ToArray(), expectedVersion: null, time.GetUtcNow().AddMilliseconds(300), Ct);

        Assert.NotNull(saved);
        var ttl = await _raw.GetDatabase().KeyTimeToLiveAsync("SystemMail:state:short");
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(300));
        var gone = await PollUntilGoneAsync("SystemMail:state:short", TimeSpan.FromSeconds(5));
        Assert.True(gone, "Redis still held the value 5 s after its 300 ms TTL.");
        Assert.Null(await store.GetAsync("state:short", Ct));
        Assert.Null(await store.TakeAsync("state:short", Ct));
    }

    [Fact]
    public async Task TrySaveExpiringAsync_AlreadyExpired_NotSaved()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = CreateStore(time);

        var saved = await store.TrySaveExpiringAsync("state:late", "pending"u8.ToArray(), expectedVersion: null, time.GetUtcNow().AddSeconds(-1), Ct);

        Assert.Null(saved);
        Assert.False(await _raw.GetDatabase().KeyExistsAsync("SystemMail:state:late"));
    }

    [Fact]
    public async Task TrySaveAsync_OverAnExpiringValue_KeepsItWithoutTtl()
    {
        var store = CreateStore();
        var version = await store.TrySaveExpiringAsync("settings", "draft"u8.ToArray(), expectedVersion: null, TimeProvider.System.GetUtcNow().AddMinutes(1), Ct);

        var saved = await store.TrySaveAsync("settings", "kept"u8.ToArray(), version, Ct);

        Assert.NotNull(saved);
        Assert.Null(await _raw.GetDatabase().KeyTimeToLiveAsync("SystemMail:settings"));
    }

    [Fact]
    public async Task RemoveAsync_InstanceName_RemovesOnlyItsOwnKey()
    {
        var contoso = CreateStore(instanceName: "contoso:");
        var fabrikam = CreateStore(instanceName: "fabrikam:");
        await contoso.TrySaveAsync("tokens", "contoso"u8.ToArray(), expectedVersion: null, Ct);
        await fabrikam.TrySaveAsync("tokens", "fabrikam"u8.ToArray(), expectedVersion: null, Ct);

        await contoso.RemoveAsync("tokens", Ct);

        Assert.Null(await contoso.GetAsync("tokens", Ct));
        Assert.Equal("fabrikam"u8.ToArray(), (await fabrikam.GetAsync("tokens", Ct))!.Value.ToArray());
        Assert.False(await _raw.GetDatabase().KeyExistsAsync("contoso:SystemMail:tokens"));
        Assert.True(await _raw.GetDatabase().KeyExistsAsync("fabrikam:SystemMail:tokens"));
    }

    /// <summary>A store on a connection of its own, as one host instance has.</summary>
    private RedisSystemMailStore CreateStore(TimeProvider? time = null, string? instanceName = null)
    {
        var options = Options.Create(new SystemMailRedisOptions { Configuration = _redis.Configuration, InstanceName = instanceName });
        var connection = new RedisConnection(options, NoServices);
        _connections.Add(connection);
        return new RedisSystemMailStore(connection, time ?? TimeProvider.System, options);
    }

    /// <summary>Asks Redis until it no longer has <paramref name="key"/>: its own TTL decides, not this process's clock.</summary>
    private async Task<bool> PollUntilGoneAsync(string key, TimeSpan limit)
    {
        var database = _raw.GetDatabase();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(limit);
        while (!timeout.IsCancellationRequested)
        {
            if (!await database.KeyExistsAsync(key))
            {
                return true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(25), CancellationToken.None);
        }

        return false;
    }
}
