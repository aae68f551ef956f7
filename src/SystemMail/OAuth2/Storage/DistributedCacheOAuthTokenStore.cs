using System.Buffers.Binary;
using System.Text;
using Microsoft.Extensions.Caching.Distributed;

namespace SystemMail;

/// <summary>
/// Tokens shared by a farm of hosts through <see cref="IDistributedCache"/> (Redis, SQL Server). Each value carries
/// its version in a small header.
/// </summary>
/// <remarks>
/// <see cref="IDistributedCache"/> has no compare-and-swap, so the version check here is a read, a comparison and a
/// write: it stops a writer that read an older version before the other one saved, which is the common race, but
/// cannot close the window of a few milliseconds between the read and the write. SystemMail covers the rest: one
/// refresh at a time per instance, and a refresh refused with <c>invalid_grant</c> is retried once with the newest
/// stored refresh token before the tokens are declared unusable. A host that needs a strict guarantee implements
/// <see cref="IOAuthTokenStore"/> over a store with conditional writes.
/// <para>Pending authorizations expire in the cache (an absolute expiration relative to now, so the cache's own clock
/// decides). Taking one is a read and a removal, for the same reason not atomic: two callbacks with the same
/// <c>state</c> within those milliseconds would both read it, and then both present the same authorization code, which
/// the provider exchanges only once (RFC 6749, 4.1.2): one consent, one set of tokens.</para>
/// <para>Over Redis, the package SystemMail.StackExchangeRedis (<c>builder.PersistToRedis(…)</c>) does both atomically,
/// each as one Lua script: use it rather than this store where Redis is the store.</para>
/// </remarks>
internal sealed class DistributedCacheOAuthTokenStore : IOAuthTokenStore
{
    private const string KeyPrefix = "SystemMail:OAuth2:";
    private static readonly DistributedCacheEntryOptions NoExpiry = new();
    private readonly IDistributedCache _cache;
    private readonly TimeProvider _time;

    public DistributedCacheOAuthTokenStore(IDistributedCache cache, TimeProvider time)
    {
        _cache = cache;
        _time = time;
    }

    public async ValueTask<OAuthTokenStoreEntry?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var raw = await _cache.GetAsync(KeyPrefix + key, cancellationToken).ConfigureAwait(false);
        return raw is null ? null : Decode(raw);
    }

    public ValueTask<string?> TrySaveAsync(string key, ReadOnlyMemory<byte> value, string? expectedVersion, CancellationToken cancellationToken = default) =>
        SaveAsync(key, value, expectedVersion, NoExpiry, cancellationToken);

    public ValueTask<string?> TrySaveExpiringAsync(string key, ReadOnlyMemory<byte> value, string? expectedVersion, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        var lifetime = expiresAt - _time.GetUtcNow();
        return lifetime <= TimeSpan.Zero
            ? ValueTask.FromResult<string?>(null)
            : SaveAsync(key, value, expectedVersion, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = lifetime }, cancellationToken);
    }

    public async ValueTask<OAuthTokenStoreEntry?> TakeAsync(string key, CancellationToken cancellationToken = default)
    {
        var entry = await GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (entry is not null)
        {
            await _cache.RemoveAsync(KeyPrefix + key, cancellationToken).ConfigureAwait(false);
        }

        return entry;
    }

    private async ValueTask<string?> SaveAsync(string key, ReadOnlyMemory<byte> value, string? expectedVersion, DistributedCacheEntryOptions entryOptions, CancellationToken cancellationToken)
    {
        var current = await GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (current?.Version != expectedVersion)
        {
            return null;
        }

        var version = Guid.NewGuid().ToString("N");
        await _cache.SetAsync(KeyPrefix + key, Encode(version, value.Span), entryOptions, cancellationToken).ConfigureAwait(false);
        return version;
    }

    public async ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default) =>
        await _cache.RemoveAsync(KeyPrefix + key, cancellationToken).ConfigureAwait(false);

    private static byte[] Encode(string version, ReadOnlySpan<byte> value)
    {
        var versionBytes = Encoding.ASCII.GetBytes(version);
        var buffer = new byte[2 + versionBytes.Length + value.Length];
        BinaryPrimitives.WriteUInt16BigEndian(buffer, (ushort)versionBytes.Length);
        versionBytes.CopyTo(buffer.AsSpan(2));
        value.CopyTo(buffer.AsSpan(2 + versionBytes.Length));
        return buffer;
    }

    private static OAuthTokenStoreEntry? Decode(byte[] raw)
    {
        if (raw.Length < 2)
        {
            return null;
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(raw);
        if (raw.Length < 2 + length || length == 0)
        {
            return null;
        }

        var version = Encoding.ASCII.GetString(raw, 2, length);
        return new OAuthTokenStoreEntry(raw.AsMemory(2 + length), version);
    }
}
