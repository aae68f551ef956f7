using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace SystemMail.Tests.OAuth2;

public sealed class OAuthTokenStoreTests
{
    public static TheoryData<string> Stores => ["memory", "distributed"];

    private static IOAuthTokenStore Create(string kind) => kind == "memory"
        ? new InMemoryOAuthTokenStore()
        : new DistributedCacheOAuthTokenStore(new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions())));

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
}
