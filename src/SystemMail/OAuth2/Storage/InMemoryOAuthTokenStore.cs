using System.Collections.Concurrent;

namespace SystemMail;

/// <summary>The default store: tokens in this process's memory, with an atomic compare-and-swap.</summary>
internal sealed class InMemoryOAuthTokenStore : IOAuthTokenStore
{
    private readonly ConcurrentDictionary<string, OAuthTokenStoreEntry> _entries = new(StringComparer.Ordinal);

    public ValueTask<OAuthTokenStoreEntry?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_entries.TryGetValue(key, out var entry) ? entry : null);
    }

    public ValueTask<string?> TrySaveAsync(string key, ReadOnlyMemory<byte> value, string? expectedVersion, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var next = new OAuthTokenStoreEntry(value.ToArray(), Guid.NewGuid().ToString("N"));
        if (expectedVersion is null)
        {
            return ValueTask.FromResult(_entries.TryAdd(key, next) ? next.Version : null);
        }

        if (!_entries.TryGetValue(key, out var current) || current.Version != expectedVersion)
        {
            return ValueTask.FromResult<string?>(null);
        }

        return ValueTask.FromResult(_entries.TryUpdate(key, next, current) ? next.Version : null);
    }

    public ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _entries.TryRemove(key, out _);
        return ValueTask.CompletedTask;
    }
}
