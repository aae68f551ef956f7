using System.Globalization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace SystemMail.StackExchangeRedis;

/// <summary>
/// SystemMail's one store (<see cref="IOAuthTokenStore"/>) in Redis: a hash per key holding the value and its version,
/// every save a compare-and-swap and every take a read-and-delete that Redis runs as one script, in one round trip.
/// </summary>
/// <remarks>
/// <para>Of instances saving over the same version at once, exactly one saves (a refreshed refresh token is never
/// overwritten by an older one); of callbacks taking the same pending authorization at once, exactly one gets it.</para>
/// <para>An expiring value (a pending authorization) gets a Redis TTL of its remaining lifetime, measured on the
/// host's <see cref="TimeProvider"/> when it is saved, so Redis drops abandoned ones. A value already expired is not
/// saved. The values are the bytes SystemMail serialized and encrypted with Data Protection.</para>
/// </remarks>
internal sealed class RedisSystemMailStore : IOAuthTokenStore
{
    private const string KeyPrefix = "SystemMail:";
    private static readonly RedisValue[] EntryFields = [RedisStoreScripts.VersionField, RedisStoreScripts.ValueField];
    private readonly RedisConnection _connection;
    private readonly TimeProvider _time;
    private readonly string _prefix;

    public RedisSystemMailStore(RedisConnection connection, TimeProvider time, IOptions<SystemMailRedisOptions> options)
    {
        _connection = connection;
        _time = time;
        _prefix = options.Value.InstanceName + KeyPrefix;
    }

    public async ValueTask<OAuthTokenStoreEntry?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var redisKey = Key(key);
        var database = await _connection.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var fields = await database.HashGetAsync(redisKey, EntryFields).ConfigureAwait(false);
        return ToEntry(fields[0], fields[1]);
    }

    public ValueTask<string?> TrySaveAsync(string key, ReadOnlyMemory<byte> value, string? expectedVersion, CancellationToken cancellationToken = default) =>
        SaveAsync(key, value, expectedVersion, lifetimeMilliseconds: 0, cancellationToken);

    public ValueTask<string?> TrySaveExpiringAsync(string key, ReadOnlyMemory<byte> value, string? expectedVersion, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        var lifetime = expiresAt - _time.GetUtcNow();
        return lifetime <= TimeSpan.Zero
            ? ValueTask.FromResult<string?>(null)
            : SaveAsync(key, value, expectedVersion, Math.Max(1, (long)Math.Ceiling(lifetime.TotalMilliseconds)), cancellationToken);
    }

    public async ValueTask<OAuthTokenStoreEntry?> TakeAsync(string key, CancellationToken cancellationToken = default)
    {
        var redisKey = Key(key);
        var database = await _connection.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var result = await database.ScriptEvaluateAsync(RedisStoreScripts.Take, [redisKey]).ConfigureAwait(false);
        if (result.IsNull)
        {
            return null;
        }

        var fields = (RedisValue[])result!;
        return ToEntry(fields[0], fields[1]);
    }

    public async ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default)
    {
        var redisKey = Key(key);
        var database = await _connection.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        await database.KeyDeleteAsync(redisKey).ConfigureAwait(false);
    }

    private async ValueTask<string?> SaveAsync(string key, ReadOnlyMemory<byte> value, string? expectedVersion, long lifetimeMilliseconds, CancellationToken cancellationToken)
    {
        var redisKey = Key(key);
        var database = await _connection.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var version = Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);
        var saved = await database.ScriptEvaluateAsync(
            RedisStoreScripts.Save,
            [redisKey],
            [expectedVersion ?? string.Empty, version, value, lifetimeMilliseconds]).ConfigureAwait(false);
        return (int)saved == 1 ? version : null;
    }

    private RedisKey Key(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return _prefix + key;
    }

    private static OAuthTokenStoreEntry? ToEntry(RedisValue version, RedisValue value) =>
        version.IsNullOrEmpty ? null : new OAuthTokenStoreEntry((byte[]?)value ?? [], version.ToString());
}
