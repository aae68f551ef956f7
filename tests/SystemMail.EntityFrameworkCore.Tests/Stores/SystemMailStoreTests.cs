using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SystemMail.EntityFrameworkCore.Tests.Infrastructure;

namespace SystemMail.EntityFrameworkCore.Tests.Stores;

/// <summary>
/// The store's behaviour on one provider, through the registration a host makes (<c>PersistToDbContext</c>), each test
/// on a new database. A class per provider runs them all.
/// </summary>
public abstract partial class SystemMailStoreTests : IAsyncLifetime
{
    private TestDatabase? _database;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected TestDatabase Database => _database ?? throw new InvalidOperationException("No database yet.");

    public async ValueTask InitializeAsync()
    {
        _database = await CreateDatabaseAsync(Ct);
        await using var services = CreateServices();
        await using var context = await services.GetRequiredService<IDbContextFactory<TestDbContext>>().CreateDbContextAsync(Ct);
        await context.Database.EnsureCreatedAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task GetAsync_AbsentKey_ReturnsNull()
    {
        await using var services = CreateServices();
        var store = services.GetRequiredService<IOAuthTokenStore>();

        var entry = await store.GetAsync("tokens", Ct);

        Assert.Null(entry);
    }

    [Fact]
    public async Task TrySaveAsync_NoExpectedVersionOnAbsentKey_SavesValueWithNewVersion()
    {
        await using var services = CreateServices();
        var store = services.GetRequiredService<IOAuthTokenStore>();

        var version = await store.TrySaveAsync("tokens", "first"u8.ToArray(), null, Ct);

        var entry = await store.GetAsync("tokens", Ct);
        Assert.NotNull(version);
        Assert.Equal(version, entry!.Version);
        Assert.Equal("first"u8.ToArray(), entry.Value.ToArray());
    }

    [Fact]
    public async Task TrySaveAsync_NoExpectedVersionTwice_SecondReturnsNullAndFirstValueStays()
    {
        await using var services = CreateServices();
        var store = services.GetRequiredService<IOAuthTokenStore>();
        var first = await store.TrySaveAsync("state:abc", "first"u8.ToArray(), null, Ct);

        var second = await store.TrySaveAsync("state:abc", "second"u8.ToArray(), null, Ct);

        Assert.Null(second);
        var entry = await store.GetAsync("state:abc", Ct);
        Assert.Equal(first, entry!.Version);
        Assert.Equal("first"u8.ToArray(), entry.Value.ToArray());
    }

    [Fact]
    public async Task TrySaveAsync_CurrentVersion_SavesValueWithNewVersion()
    {
        await using var services = CreateServices();
        var store = services.GetRequiredService<IOAuthTokenStore>();
        var first = await store.TrySaveAsync("tokens", "first"u8.ToArray(), null, Ct);

        var second = await store.TrySaveAsync("tokens", "second"u8.ToArray(), first, Ct);

        Assert.NotNull(second);
        Assert.NotEqual(first, second);
        var entry = await store.GetAsync("tokens", Ct);
        Assert.Equal(second, entry!.Version);
        Assert.Equal("second"u8.ToArray(), entry.Value.ToArray());
    }

    [Fact]
    public async Task TrySaveAsync_StaleVersion_ReturnsNullAndValueUnchanged()
    {
        await using var services = CreateServices();
        var store = services.GetRequiredService<IOAuthTokenStore>();
        var first = await store.TrySaveAsync("tokens", "old"u8.ToArray(), null, Ct);
        var second = await store.TrySaveAsync("tokens", "newer"u8.ToArray(), first, Ct);

        var stale = await store.TrySaveAsync("tokens", "stale"u8.ToArray(), first, Ct);

        Assert.Null(stale);
        var entry = await store.GetAsync("tokens", Ct);
        Assert.Equal(second, entry!.Version);
        Assert.Equal("newer"u8.ToArray(), entry.Value.ToArray());
    }

    [Fact]
    public async Task TrySaveAsync_ExpectedVersionOnAbsentKey_ReturnsNullAndSavesNothing()
    {
        await using var services = CreateServices();
        var store = services.GetRequiredService<IOAuthTokenStore>();

        var version = await store.TrySaveAsync("tokens", "value"u8.ToArray(), "0123456789abcdef0123456789abcdef", Ct);

        Assert.Null(version);
        Assert.Null(await store.GetAsync("tokens", Ct));
    }

    [Fact]
    public async Task TrySaveAsync_TwentyWritersFromSameVersion_ExactlyOneWins()
    {
        await using var services = CreateServices();
        var store = services.GetRequiredService<IOAuthTokenStore>();
        var read = await store.TrySaveAsync("tokens", "read by all"u8.ToArray(), null, Ct);
        using var start = new ManualResetEventSlim();

        // Act: twenty writers (each with its own context and connection) save from the version they all read.
        var writers = Enumerable.Range(0, 20).Select(i => Task.Run(
            async () =>
            {
                start.Wait(Ct);
                return (Writer: i, Version: await store.TrySaveAsync("tokens", Encoding.UTF8.GetBytes($"writer {i}"), read, Ct));
            },
            Ct)).ToArray();
        start.Set();
        var results = await Task.WhenAll(writers);

        // Assert: one saved; the stored value and version are the winner's.
        var winner = Assert.Single(results, r => r.Version is not null);
        var entry = await store.GetAsync("tokens", Ct);
        Assert.Equal(winner.Version, entry!.Version);
        Assert.Equal($"writer {winner.Writer}", Encoding.UTF8.GetString(entry.Value.Span));
    }

    [Fact]
    public async Task TrySaveAsync_TwentyWritersSavingAbsentKeyAtOnce_ExactlyOneWins()
    {
        await using var services = CreateServices();
        var store = services.GetRequiredService<IOAuthTokenStore>();
        using var start = new ManualResetEventSlim();

        var writers = Enumerable.Range(0, 20).Select(i => Task.Run(
            async () =>
            {
                start.Wait(Ct);
                return (Writer: i, Version: await store.TrySaveAsync("tokens", Encoding.UTF8.GetBytes($"writer {i}"), null, Ct));
            },
            Ct)).ToArray();
        start.Set();
        var results = await Task.WhenAll(writers);

        var winner = Assert.Single(results, r => r.Version is not null);
        var entry = await store.GetAsync("tokens", Ct);
        Assert.Equal(winner.Version, entry!.Version);
        Assert.Equal($"writer {winner.Writer}", Encoding.UTF8.GetString(entry.Value.Span));
    }

    [Fact]
    public async Task RemoveAsync_ExistingValue_RemovesItAndKeyCanBeSavedAgain()
    {
        await using var services = CreateServices();
        var store = services.GetRequiredService<IOAuthTokenStore>();
        await store.TrySaveAsync("tokens", "value"u8.ToArray(), null, Ct);
        await store.TrySaveAsync("settings", "other"u8.ToArray(), null, Ct);

        await store.RemoveAsync("tokens", Ct);

        Assert.Null(await store.GetAsync("tokens", Ct));
        Assert.NotNull(await store.GetAsync("settings", Ct));
        Assert.NotNull(await store.TrySaveAsync("tokens", "again"u8.ToArray(), null, Ct));
    }

    [Fact]
    public async Task RemoveAsync_AbsentKey_DoesNothing()
    {
        await using var services = CreateServices();
        var store = services.GetRequiredService<IOAuthTokenStore>();

        await store.RemoveAsync("tokens", Ct);

        Assert.Null(await store.GetAsync("tokens", Ct));
    }

    [Fact]
    public async Task TrySaveAsync_64KiBValue_ReadBackByteForByte()
    {
        await using var services = CreateServices();
        var store = services.GetRequiredService<IOAuthTokenStore>();
        var value = new byte[64 * 1024];
        new Random(42).NextBytes(value);
        var first = await store.TrySaveAsync("settings", value, null, Ct);
        value[^1] ^= 0xFF;

        var second = await store.TrySaveAsync("settings", value, first, Ct);

        Assert.NotNull(second);
        var entry = await store.GetAsync("settings", Ct);
        Assert.Equal(value, entry!.Value.ToArray());
    }

    [Fact]
    public async Task TrySaveAsync_KeyOf200Characters_SavesAndLongerKeyIsRefused()
    {
        await using var services = CreateServices();
        var store = services.GetRequiredService<IOAuthTokenStore>();
        var key = "state:" + new string('k', 194);

        var version = await store.TrySaveAsync(key, "value"u8.ToArray(), null, Ct);

        Assert.NotNull(version);
        Assert.Equal(version, (await store.GetAsync(key, Ct))!.Version);
        await Assert.ThrowsAsync<ArgumentException>("key", async () => await store.TrySaveAsync(key + "k", "value"u8.ToArray(), null, Ct));
    }

    [Fact]
    public async Task TrySaveAsync_AnySave_RowKeepsUtcTimeOfSaveFromTimeProvider()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 5, 1, 8, 30, 0, TimeSpan.Zero));
        await using var services = CreateServices(s => s.AddSingleton<TimeProvider>(time));
        var store = services.GetRequiredService<IOAuthTokenStore>();
        var first = await store.TrySaveAsync("tokens", "first"u8.ToArray(), null, Ct);
        time.Advance(TimeSpan.FromMinutes(5));

        await store.TrySaveAsync("tokens", "second"u8.ToArray(), first, Ct);

        await using var context = await services.GetRequiredService<IDbContextFactory<TestDbContext>>().CreateDbContextAsync(Ct);
        var row = await context.SystemMailRecords.SingleAsync(Ct);
        Assert.Equal("tokens", row.Key);
        Assert.Equal(time.GetUtcNow().UtcDateTime, row.UpdatedAt);

        // A host's clean-up query compares it on every provider.
        var minuteAgo = time.GetUtcNow().UtcDateTime.AddMinutes(-1);
        Assert.Equal(1, await context.SystemMailRecords.CountAsync(r => r.UpdatedAt > minuteAgo, Ct));
    }

    [Fact]
    public async Task PersistToDbContext_ContextFromAddDbContext_UsesAScopedContextPerCall()
    {
        // A host that registers its context with AddDbContext only (no factory).
        var services = new ServiceCollection();
        services.AddDbContext<TestDbContext>(Database.Configure);
        services.AddSystemMail(_ => { }).PersistToDbContext<TestDbContext>();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var store = provider.GetRequiredService<IOAuthTokenStore>();

        var first = await store.TrySaveAsync("tokens", "first"u8.ToArray(), null, Ct);
        var second = await store.TrySaveAsync("tokens", "second"u8.ToArray(), first, Ct);

        Assert.NotNull(second);
        Assert.Equal("second"u8.ToArray(), (await store.GetAsync("tokens", Ct))!.Value.ToArray());
    }

    /// <summary>The database of this test.</summary>
    protected abstract Task<TestDatabase> CreateDatabaseAsync(CancellationToken cancellationToken);

    /// <summary>A host's services: its context from a factory, SystemMail persisting to it.</summary>
    protected ServiceProvider CreateServices(Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        configure?.Invoke(services);
        services.AddDbContextFactory<TestDbContext>(Database.Configure);
        services.AddSystemMail(_ => { }).PersistToDbContext<TestDbContext>();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
