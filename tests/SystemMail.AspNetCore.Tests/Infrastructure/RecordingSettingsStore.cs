namespace SystemMail.AspNetCore.Tests.Infrastructure;

/// <summary>The host's one store, shared by the instances of a farm; records the bytes saved for the settings.</summary>
internal sealed class RecordingSettingsStore : IOAuthTokenStore
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, OAuthTokenStoreEntry> _entries = new(StringComparer.Ordinal);

    public ReadOnlyMemory<byte> Saved { get; private set; }

    public ValueTask<OAuthTokenStoreEntry?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_entries.TryGetValue(key, out var entry) ? entry : null);

    public ValueTask<string?> TrySaveAsync(string key, ReadOnlyMemory<byte> value, string? expectedVersion, CancellationToken cancellationToken = default)
    {
        lock (_entries)
        {
            if ((_entries.TryGetValue(key, out var current) ? current.Version : null) != expectedVersion)
            {
                return ValueTask.FromResult<string?>(null);
            }

            var saved = new OAuthTokenStoreEntry(value.ToArray(), Guid.NewGuid().ToString("N"));
            _entries[key] = saved;
            if (key == "settings")
            {
                Saved = saved.Value;
            }

            return ValueTask.FromResult<string?>(saved.Version);
        }
    }

    public ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default)
    {
        _entries.TryRemove(key, out _);
        return ValueTask.CompletedTask;
    }
}
