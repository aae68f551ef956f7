using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SystemMail.EntityFrameworkCore.Tests.Infrastructure;

namespace SystemMail.EntityFrameworkCore.Tests.Stores;

/// <summary>Pending authorizations in the table: they expire, are purged, and are taken once.</summary>
public abstract partial class SystemMailStoreTests
{
    [Fact]
    public async Task TrySaveExpiringAsync_PastExpiry_NotReadNotTakenAndPurgedByTheNextSave()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 5, 1, 8, 30, 0, TimeSpan.Zero));
        await using var services = CreateServices(s => s.AddSingleton<TimeProvider>(time));
        var store = services.GetRequiredService<IOAuthTokenStore>();
        await store.TrySaveExpiringAsync("state:abandoned", "pending"u8.ToArray(), null, time.GetUtcNow().AddMinutes(10), Ct);
        await store.TrySaveAsync("tokens", "tokens"u8.ToArray(), null, Ct);
        time.Advance(TimeSpan.FromMinutes(10));

        Assert.Null(await store.GetAsync("state:abandoned", Ct));
        Assert.Null(await store.TakeAsync("state:abandoned", Ct));
        await store.TrySaveExpiringAsync("state:next", "pending"u8.ToArray(), null, time.GetUtcNow().AddMinutes(10), Ct);

        await using var context = await services.GetRequiredService<IDbContextFactory<TestDbContext>>().CreateDbContextAsync(Ct);
        var rows = await context.SystemMailRecords.AsNoTracking().OrderBy(r => r.Key).ToListAsync(Ct);
        Assert.Equal(["state:next", "tokens"], rows.Select(r => r.Key));
        Assert.Equal(time.GetUtcNow().AddMinutes(10).UtcDateTime, rows[0].ExpiresAt);
        Assert.Null(rows[1].ExpiresAt);
    }

    [Fact]
    public async Task TakeAsync_TwentyTakersAtOnce_ExactlyOneGetsIt()
    {
        await using var services = CreateServices();
        var store = services.GetRequiredService<IOAuthTokenStore>();
        await store.TrySaveExpiringAsync("state:abc", "pending"u8.ToArray(), null, DateTimeOffset.UtcNow.AddMinutes(10), Ct);

        var taken = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(async () => await store.TakeAsync("state:abc", Ct), Ct)));

        var winner = Assert.Single(taken, t => t is not null);
        Assert.Equal("pending"u8.ToArray(), winner!.Value.ToArray());
        Assert.Null(await store.GetAsync("state:abc", Ct));
    }
}
