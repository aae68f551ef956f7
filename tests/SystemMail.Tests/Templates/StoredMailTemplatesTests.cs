using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Options;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.Templates;

/// <summary>Saved templates in the token store: in memory, and shared by two instances through a real redis-server.</summary>
public sealed class StoredMailTemplatesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly MailTemplate Template = new() { Subject = "Reset", Html = "<p>{{ link }}</p>", Text = "{{ link }}" };

    private static StoredMailTemplates Instance(IOAuthTokenStore store, TemplateHealth? health = null) =>
        new(store, TimeProvider.System, health ?? new TemplateHealth());

    [Fact]
    public async Task TrySaveAndReset_InMemory_RoundTrips()
    {
        using var templates = Instance(new InMemoryOAuthTokenStore());

        var saved = await templates.TrySaveAsync(SystemMailKind.PasswordReset, "de", Template, expectedVersion: null, "alice", Ct);

        Assert.NotNull(saved);
        Assert.Equal(("Reset", "alice"), (saved.Subject, saved.UpdatedBy));
        Assert.Same(saved, templates.Current.Get(SystemMailKind.PasswordReset, "de"));
        Assert.Same(saved, templates.Current.Find(SystemMailKind.PasswordReset, ["de-AT", "de", ""]));
        Assert.Null(templates.Current.Get(SystemMailKind.PasswordReset, "fr"));

        Assert.True(await templates.TryResetAsync(SystemMailKind.PasswordReset, "de", saved.Version, Ct));

        Assert.Null((await templates.LoadAsync(Ct)).Get(SystemMailKind.PasswordReset, "de"));
    }

    [Fact]
    public async Task TrySave_StaleVersion_IsAConflictAndChangesNothing()
    {
        using var templates = Instance(new InMemoryOAuthTokenStore());
        var first = await templates.TrySaveAsync(SystemMailKind.Activation, "en", Template, null, "alice", Ct);
        Assert.NotNull(first);

        // Saved meanwhile: "none saved" and an old version are both stale now.
        Assert.Null(await templates.TrySaveAsync(SystemMailKind.Activation, "en", Template, null, "bob", Ct));
        var second = await templates.TrySaveAsync(SystemMailKind.Activation, "en", new MailTemplate { Subject = "Second", Html = "{{ link }}", Text = "{{ link }}" }, first.Version, "bob", Ct);
        Assert.NotNull(second);
        Assert.NotEqual(first.Version, second.Version);
        Assert.Null(await templates.TrySaveAsync(SystemMailKind.Activation, "en", Template, first.Version, "alice", Ct));
        Assert.False(await templates.TryResetAsync(SystemMailKind.Activation, "en", first.Version, Ct));

        Assert.Equal("Second", (await templates.LoadAsync(Ct)).Get(SystemMailKind.Activation, "en")!.Subject);
    }

    [Fact]
    public async Task TrySave_TwoInstancesOverRedis_TheOtherReadsItBeforeItsNextMail()
    {
        await using var redis = await RedisTestServer.StartAsync(Ct);
        using var cacheA = Redis(redis);
        using var cacheB = Redis(redis);
        using var a = Instance(new DistributedCacheOAuthTokenStore(cacheA, TimeProvider.System));
        using var b = Instance(new DistributedCacheOAuthTokenStore(cacheB, TimeProvider.System));
        await b.RefreshAsync(Ct);
        Assert.Empty(b.Current.All);

        var saved = await a.TrySaveAsync(SystemMailKind.VerificationCode, "zh-Hans", new MailTemplate { Subject = "验证码", Html = "<b>{{ code }}</b>", Text = "{{ code }}" }, null, "alice", Ct);
        await b.RefreshAsync(Ct);

        var read = b.Current.Get(SystemMailKind.VerificationCode, "zh-Hans");
        Assert.NotNull(read);
        Assert.Equal(("验证码", saved!.Version, "alice"), (read.Subject, read.Version, read.UpdatedBy));

        // B saves another template on top: A's stays, and A sees both.
        Assert.NotNull(await b.TrySaveAsync(SystemMailKind.Test, "en", new MailTemplate { Subject = "Test", Html = "<p>ok</p>", Text = "ok" }, null, "bob", Ct));
        await a.RefreshAsync(Ct);
        Assert.Equal(2, a.Current.All.Count());

        Assert.True(await a.TryResetAsync(SystemMailKind.VerificationCode, "zh-Hans", null, Ct));
        await b.RefreshAsync(Ct);
        Assert.Null(b.Current.Get(SystemMailKind.VerificationCode, "zh-Hans"));
        Assert.NotNull(b.Current.Get(SystemMailKind.Test, "en"));
    }

    [Fact]
    public async Task Refresh_StoreDown_KeepsTheTemplatesReadLast()
    {
        var redis = await RedisTestServer.StartAsync(Ct);
        using var cache = Redis(redis, ",connectTimeout=500,syncTimeout=500,asyncTimeout=500");
        using var templates = Instance(new DistributedCacheOAuthTokenStore(cache, TimeProvider.System));
        await templates.TrySaveAsync(SystemMailKind.Test, "en", new MailTemplate { Subject = "Kept", Html = "<p>ok</p>", Text = "ok" }, null, "alice", Ct);

        await redis.DisposeAsync();
        await templates.RefreshAsync(Ct);

        Assert.Equal("Kept", templates.Current.Get(SystemMailKind.Test, "en")!.Subject);
    }

    [Fact]
    public async Task Load_DamagedRecord_AppliesNoneAndTheNextSaveReplacesIt()
    {
        var store = new InMemoryOAuthTokenStore();
        await store.TrySaveAsync(StoredMailTemplates.StoreKey, "not json"u8.ToArray(), null, Ct);
        using var templates = Instance(store);

        Assert.Empty((await templates.LoadAsync(Ct)).All);
        Assert.NotNull(await templates.TrySaveAsync(SystemMailKind.Test, "en", new MailTemplate { Subject = "New", Html = "<p>ok</p>", Text = "ok" }, null, "alice", Ct));

        using var other = Instance(store);
        Assert.Equal("New", (await other.LoadAsync(Ct)).Get(SystemMailKind.Test, "en")!.Subject);
    }

    private static RedisCache Redis(RedisTestServer redis, string settings = "") =>
        new(Options.Create(new RedisCacheOptions { Configuration = redis.Configuration + settings, InstanceName = "templates-test:" }));
}
