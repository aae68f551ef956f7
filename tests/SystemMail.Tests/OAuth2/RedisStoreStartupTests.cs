using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.OAuth2;

/// <summary>What a host sees at start-up with <c>PersistToRedis</c>: Data Protection required, a connection named, or a clear failure.</summary>
public sealed class RedisStoreStartupTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StartAsync_PersistToRedisWithoutDataProtection_FailsNamingTheFix()
    {
        using var host = StoreHost.Build((_, mail) => mail.PersistToRedis("127.0.0.1:1,abortConnect=false"));

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));

        var failure = Assert.Single(ex.Failures);
        Assert.Contains("RedisSystemMailStore", failure, StringComparison.Ordinal);
        Assert.Contains("services.AddDataProtection().PersistKeysToFileSystem(", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_PersistToRedisWithNowhereToConnect_FailsNamingTheFix()
    {
        using var host = StoreHost.Build((services, mail) =>
        {
            services.AddDataProtection().UseEphemeralDataProtectionProvider();
            mail.PersistToRedis();
        });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));

        var failure = Assert.Single(ex.Failures);
        Assert.Contains("Configuration", failure, StringComparison.Ordinal);
        Assert.Contains("IConnectionMultiplexer", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_PersistToRedisWithUnreadableConfiguration_FailsWithoutQuotingIt()
    {
        using var host = StoreHost.Build((services, mail) =>
        {
            services.AddDataProtection().UseEphemeralDataProtectionProvider();
            mail.PersistToRedis("127.0.0.1:6379,password=marker-4f1c,x=marker-9b2e,connectTimeout=soon");
        });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));

        var failure = Assert.Single(ex.Failures);
        Assert.Contains("cannot read its Configuration", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("marker", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrySaveAsync_PersistToRedisWithTheHostsMultiplexer_SavesInItsDatabase()
    {
        await using var redis = await RedisTestServer.StartAsync(Ct);
        await using var multiplexer = await ConnectionMultiplexer.ConnectAsync(redis.Configuration + ",defaultDatabase=3");
        using var host = StoreHost.Build((services, mail) =>
        {
            services.AddDataProtection().UseEphemeralDataProtectionProvider();
            services.AddSingleton<IConnectionMultiplexer>(multiplexer);
            mail.PersistToRedis();
        });
        await host.StartAsync(Ct);

        var saved = await host.Services.GetRequiredService<IOAuthTokenStore>().TrySaveAsync("settings", "value"u8.ToArray(), expectedVersion: null, Ct);

        Assert.NotNull(saved);
        Assert.True(await multiplexer.GetDatabase(3).KeyExistsAsync("SystemMail:settings"));
        Assert.False(await multiplexer.GetDatabase(0).KeyExistsAsync("SystemMail:settings"));
        await host.StopAsync(Ct);
        Assert.True(multiplexer.IsConnected); // the store does not close a connection it did not open
    }
}
