namespace SystemMail.AspNetCore;

/// <summary>The default store: the settings in this process's memory, with an atomic compare-and-swap.</summary>
internal sealed class InMemorySystemMailSettingsStore : ISystemMailSettingsStore
{
    private SystemMailSettingsEntry? _entry;

    public ValueTask<SystemMailSettingsEntry?> GetAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Volatile.Read(ref _entry));
    }

    public ValueTask<string?> TrySaveAsync(ReadOnlyMemory<byte> value, string? expectedVersion, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var current = Volatile.Read(ref _entry);
        if (current?.Version != expectedVersion)
        {
            return ValueTask.FromResult<string?>(null);
        }

        var next = new SystemMailSettingsEntry(value.ToArray(), Guid.NewGuid().ToString("N"));
        return ValueTask.FromResult(Interlocked.CompareExchange(ref _entry, next, current) == current ? next.Version : null);
    }
}
