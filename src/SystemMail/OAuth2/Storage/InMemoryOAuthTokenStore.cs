using System.Collections.Concurrent;

namespace SystemMail;

/// <summary>
/// The default store: tokens in this process's memory, with an atomic compare-and-swap, expiring values (pending
/// authorizations) dropped once expired, and an atomic take.
/// </summary>
internal sealed class InMemoryOAuthTokenStore : IOAuthTokenStore
{
    private readonly ConcurrentDictionary<string, Item> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public InMemoryOAuthTokenStore()
        : this(TimeProvider.System)
    {
    }

    public InMemoryOAuthTokenStore(TimeProvider time)
    {
        _time = time;
    }

    public ValueTask<OAuthTokenStoreEntry?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Live(key)?.Entry);
    }

    public ValueTask<string?> TrySaveAsync(string key, ReadOnlyMemory<byte> value, string? expectedVersion, CancellationToken cancellationToken = default) =>
        Save(key, value, expectedVersion, expiresAt: null, cancellationToken);

    public ValueTask<string?> TrySaveExpiringAsync(string key, ReadOnlyMemory<byte> value, string? expectedVersion, DateTimeOffset expiresAt, CancellationToken cancellationToken = default) =>
        Save(key, value, expectedVersion, expiresAt, cancellationToken);

    public ValueTask<OAuthTokenStoreEntry?> TakeAsync(string key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // Removed only if it is still the item read: of two takers, one removes it, the other finds it gone.
        return ValueTask.FromResult(Live(key) is { } item && _entries.TryRemove(new KeyValuePair<string, Item>(key, item)) ? item.Entry : null);
    }

    public ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _entries.TryRemove(key, out _);
        return ValueTask.CompletedTask;
    }

    private ValueTask<string?> Save(string key, ReadOnlyMemory<byte> value, string? expectedVersion, DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        PurgeExpired();
        var next = new Item(new OAuthTokenStoreEntry(value.ToArray(), Guid.NewGuid().ToString("N")), expiresAt);
        if (expectedVersion is null)
        {
            return ValueTask.FromResult(_entries.TryAdd(key, next) ? next.Entry.Version : null);
        }

        if (Live(key) is not { } current || current.Entry.Version != expectedVersion)
        {
            return ValueTask.FromResult<string?>(null);
        }

        return ValueTask.FromResult(_entries.TryUpdate(key, next, current) ? next.Entry.Version : null);
    }

    /// <summary>The item of <paramref name="key"/> unless it has expired (then it is removed).</summary>
    private Item? Live(string key)
    {
        if (!_entries.TryGetValue(key, out var item))
        {
            return null;
        }

        if (item.ExpiresAt is { } expiresAt && expiresAt <= _time.GetUtcNow())
        {
            _entries.TryRemove(new KeyValuePair<string, Item>(key, item));
            return null;
        }

        return item;
    }

    /// <summary>Drops expired values, so abandoned authorizations do not pile up in memory.</summary>
    private void PurgeExpired()
    {
        var now = _time.GetUtcNow();
        foreach (var (key, item) in _entries)
        {
            if (item.ExpiresAt is { } expiresAt && expiresAt <= now)
            {
                _entries.TryRemove(new KeyValuePair<string, Item>(key, item));
            }
        }
    }

    private sealed record Item(OAuthTokenStoreEntry Entry, DateTimeOffset? ExpiresAt);
}
