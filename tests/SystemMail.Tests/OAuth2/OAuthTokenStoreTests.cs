using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace SystemMail.Tests.OAuth2;

public sealed class OAuthTokenStoreTests
{
    public static TheoryData<string> Stores => ["memory", "distributed"];

    private static IOAuthTokenStore Create(string kind) => kind == "memory"
        ? new InMemoryOAuthTokenStore()
        : new DistributedCacheOAuthTokenStore(new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions())), TimeProvider.System);

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task TrySaveAsync_NoValueAndNoExpectedVersion_Saves(string kind)
    {
        var store = Create(kind);
        var ct = TestContext.Current.CancellationToken;

        var version = await store.TrySaveAsync("k", "v1"u8.ToArray(), null, ct);

        var entry = await store.GetAsync("k", ct);
        Assert.NotNull(version);
        Assert.Equal(version, entry!.Version);
        Assert.Equal("v1"u8.ToArray(), entry.Value.ToArray());
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task TrySaveAsync_StaleVersion_WritesNothing(string kind)
    {
        var store = Create(kind);
        var ct = TestContext.Current.CancellationToken;
        var first = await store.TrySaveAsync("k", "old"u8.ToArray(), null, ct);
        var second = await store.TrySaveAsync("k", "newer"u8.ToArray(), first, ct);

        var stale = await store.TrySaveAsync("k", "stale"u8.ToArray(), first, ct);

        Assert.Null(stale);
        var entry = await store.GetAsync("k", ct);
        Assert.Equal(second, entry!.Version);
        Assert.Equal("newer"u8.ToArray(), entry.Value.ToArray());
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task TrySaveAsync_ExistingValueAndNoExpectedVersion_WritesNothing(string kind)
    {
        var store = Create(kind);
        var ct = TestContext.Current.CancellationToken;
        await store.TrySaveAsync("k", "first"u8.ToArray(), null, ct);

        Assert.Null(await store.TrySaveAsync("k", "second"u8.ToArray(), null, ct));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task RemoveAsync_ExistingValue_RemovesIt(string kind)
    {
        var store = Create(kind);
        var ct = TestContext.Current.CancellationToken;
        await store.TrySaveAsync("k", "v"u8.ToArray(), null, ct);

        await store.RemoveAsync("k", ct);

        Assert.Null(await store.GetAsync("k", ct));
    }

    [Fact]
    public async Task TrySaveAsync_InMemoryRace_ExactlyOneWriterWins()
    {
        var store = new InMemoryOAuthTokenStore();
        var ct = TestContext.Current.CancellationToken;
        var start = await store.TrySaveAsync("k", "v0"u8.ToArray(), null, ct);

        var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(async () => await store.TrySaveAsync("k", new[] { (byte)i }, start, ct), ct)));

        Assert.Single(results, r => r is not null);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task TakeAsync_ExistingValue_ReturnsItOnceAndRemovesIt(string kind)
    {
        var store = Create(kind);
        var ct = TestContext.Current.CancellationToken;
        await store.TrySaveAsync("state:s", "v"u8.ToArray(), null, ct);

        var first = await store.TakeAsync("state:s", ct);
        var second = await store.TakeAsync("state:s", ct);

        Assert.Equal("v"u8.ToArray(), first!.Value.ToArray());
        Assert.Null(second);
        Assert.Null(await store.GetAsync("state:s", ct));
    }

    [Fact]
    public async Task TakeAsync_InMemoryRace_ExactlyOneTakerGetsIt()
    {
        var store = new InMemoryOAuthTokenStore();
        var ct = TestContext.Current.CancellationToken;
        await store.TrySaveAsync("state:s", "v"u8.ToArray(), null, ct);

        var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(async () => await store.TakeAsync("state:s", ct), ct)));

        Assert.Single(results, r => r is not null);
    }

    [Fact]
    public async Task TakeAsync_DefaultImplementationOverCompareAndSwap_ExactlyOneTakerGetsIt()
    {
        IOAuthTokenStore store = new CasOnlyStore();
        var ct = TestContext.Current.CancellationToken;
        await store.TrySaveAsync("state:s", "v"u8.ToArray(), null, ct);

        var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(async () => await store.TakeAsync("state:s", ct), ct)));

        Assert.Single(results, r => r is not null);
        Assert.Null(await store.GetAsync("state:s", ct));
    }

    [Fact]
    public async Task TrySaveExpiringAsync_InMemoryPastExpiry_NotReadAndPurged()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = new InMemoryOAuthTokenStore(time);
        var ct = TestContext.Current.CancellationToken;
        await store.TrySaveExpiringAsync("state:old", "v"u8.ToArray(), null, time.GetUtcNow().AddMinutes(10), ct);

        time.Advance(TimeSpan.FromMinutes(10));

        Assert.Null(await store.GetAsync("state:old", ct));
        Assert.Null(await store.TakeAsync("state:old", ct));
        Assert.NotNull(await store.TrySaveExpiringAsync("state:old", "again"u8.ToArray(), null, time.GetUtcNow().AddMinutes(10), ct));
    }

    /// <summary>A host's store with only the three required members: the take is the interface's default.</summary>
    private sealed class CasOnlyStore : IOAuthTokenStore
    {
        private readonly InMemoryOAuthTokenStore _inner = new();

        public ValueTask<OAuthTokenStoreEntry?> GetAsync(string key, CancellationToken cancellationToken = default) => _inner.GetAsync(key, cancellationToken);

        public ValueTask<string?> TrySaveAsync(string key, ReadOnlyMemory<byte> value, string? expectedVersion, CancellationToken cancellationToken = default) =>
            _inner.TrySaveAsync(key, value, expectedVersion, cancellationToken);

        public ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default) => _inner.RemoveAsync(key, cancellationToken);
    }
}
