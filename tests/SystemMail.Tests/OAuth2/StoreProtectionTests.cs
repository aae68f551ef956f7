using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace SystemMail.Tests.OAuth2;

/// <summary>Tokens are never written in clear: a store that outlives the process needs Data Protection, or the host does not start.</summary>
public sealed class StoreProtectionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StartAsync_DistributedStoreWithoutDataProtection_FailsNamingTheFix()
    {
        using var host = StoreHost.Build((services, mail) =>
        {
            services.AddDistributedMemoryCache();
            mail.AddDistributedTokenStore();
        });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));

        var failure = Assert.Single(ex.Failures);
        Assert.Contains("DistributedCacheOAuthTokenStore", failure, StringComparison.Ordinal);
        Assert.Contains("services.AddDataProtection().PersistKeysToFileSystem(", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_HostStoreWithoutDataProtection_FailsNamingTheFix()
    {
        using var host = StoreHost.Build((_, mail) => mail.AddTokenStore<CountingStore>());

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));

        Assert.Contains("CountingStore", Assert.Single(ex.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_DistributedStoreWithDataProtection_Starts()
    {
        using var host = StoreHost.Build((services, mail) =>
        {
            services.AddDistributedMemoryCache();
            services.AddDataProtection().UseEphemeralDataProtectionProvider();
            mail.AddDistributedTokenStore();
        });

        await host.StartAsync(Ct);
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task StartAsync_InMemoryStoreWithoutDataProtection_Starts()
    {
        using var host = StoreHost.Build((_, _) => { });

        await host.StartAsync(Ct);
        await host.StopAsync(Ct);
    }

    [Fact]
    public void Serialize_PersistentStoreWithoutDataProtection_Throws()
    {
        var store = new DistributedCacheOAuthTokenStore(new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions())), TimeProvider.System);

        var ex = Assert.Throws<InvalidOperationException>(() => new OAuthRecordSerializer(null, store));

        Assert.Contains("AddDataProtection()", ex.Message, StringComparison.Ordinal);
    }

    private sealed class CountingStore : IOAuthTokenStore
    {
        private readonly InMemoryOAuthTokenStore _inner = new();

        public ValueTask<OAuthTokenStoreEntry?> GetAsync(string key, CancellationToken cancellationToken = default) => _inner.GetAsync(key, cancellationToken);

        public ValueTask<string?> TrySaveAsync(string key, ReadOnlyMemory<byte> value, string? expectedVersion, CancellationToken cancellationToken = default) =>
            _inner.TrySaveAsync(key, value, expectedVersion, cancellationToken);

        public ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default) => _inner.RemoveAsync(key, cancellationToken);
    }
}
