using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace SystemMail.AspNetCore;

/// <summary>
/// Holds the saved settings in memory for the options pipeline, loads them from the store once, saves them with a
/// compare-and-swap and signals <see cref="IOptionsMonitor{TOptions}"/> after each change, so the next mail uses them.
/// </summary>
/// <remarks>
/// <para>The settings live in the host's <see cref="IOAuthTokenStore"/> under <see cref="StoreKey"/>, beside the tokens: one
/// versioned record store for a host to back with its database, not two.</para>
/// <para>Saved settings that cannot be read (a lost Data Protection key ring, damaged bytes) never stop the host: at
/// start they count as none saved, so the configuration's settings apply; read again later, the settings in use stay.
/// Either way the problem is logged, reported by the health check and the settings page, and the next save replaces
/// them.</para>
/// </remarks>
internal sealed class SystemMailSettingsManager : IOptionsChangeTokenSource<SystemMailOptions>, IDisposable
{
    /// <summary>The store key of the saved settings.</summary>
    public const string StoreKey = "settings";

    private readonly IOAuthTokenStore _store;
    private readonly SettingsSerializer _serializer;
    private readonly SettingsHealth _health;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _loadGate = new(1, 1);
    private Snapshot? _snapshot;
    private CancellationTokenSource _changes = new();

    public SystemMailSettingsManager(IOAuthTokenStore store, SettingsSerializer serializer, SettingsHealth health, ILogger<SystemMailSettingsManager>? logger = null)
    {
        _store = store;
        _serializer = serializer;
        _health = health;
        _logger = logger ?? NullLogger<SystemMailSettingsManager>.Instance;
    }

    public string Name => Options.DefaultName;

    /// <summary>
    /// Gets the saved settings and their version. The options pipeline is synchronous: the first read waits once for
    /// the store (on the thread pool, so no synchronization context is captured); later reads are from memory.
    /// </summary>
    public Snapshot Current
    {
        get
        {
            if (Volatile.Read(ref _snapshot) is { } loaded)
            {
                return loaded;
            }

            return Task.Run(() => ReloadAsync(CancellationToken.None)).GetAwaiter().GetResult();
        }
    }

    public IChangeToken GetChangeToken() => new CancellationChangeToken(Volatile.Read(ref _changes).Token);

    /// <summary>Reads the store again; when another instance saved meanwhile, the new settings apply here too.</summary>
    public async Task<Snapshot> ReloadAsync(CancellationToken cancellationToken)
    {
        await _loadGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var entry = await _store.GetAsync(StoreKey, cancellationToken).ConfigureAwait(false);
            var previous = Volatile.Read(ref _snapshot);
            if (previous is not null && previous.Version == entry?.Version)
            {
                return previous;
            }

            Snapshot next;
            if (entry is null)
            {
                next = Snapshot.Empty;
            }
            else if (_serializer.TryDeserialize(entry.Value, out var settings, out var problem))
            {
                next = new Snapshot(settings, entry.Version);
            }
            else
            {
                // Kept with its version, so that a save replaces it; the settings in use (none at start) stay.
                next = new Snapshot(previous?.Settings, entry.Version, problem);
                Log.SavedSettingsUnreadable(_logger, entry.Version, problem);
            }

            Volatile.Write(ref _snapshot, next);
            _health.Report(next.Problem);
            if (previous is not null && next.Problem is null)
            {
                Log.SettingsReloaded(_logger, next.Version ?? "none");
                Signal();
            }

            return next;
        }
        finally
        {
            _loadGate.Release();
        }
    }

    /// <summary>Saves the settings if nobody saved since <paramref name="expectedVersion"/>.</summary>
    /// <returns>The saved snapshot, or <see langword="null"/> when another writer saved first.</returns>
    public async Task<Snapshot?> TrySaveAsync(StoredMailSettings settings, string? expectedVersion, CancellationToken cancellationToken)
    {
        await _loadGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var version = await _store.TrySaveAsync(StoreKey, _serializer.Serialize(settings), expectedVersion, cancellationToken).ConfigureAwait(false);
            if (version is null)
            {
                return null;
            }

            var saved = new Snapshot(settings, version);
            Volatile.Write(ref _snapshot, saved);
            _health.Report(null);
            Log.SettingsSaved(_logger, settings.Provider, settings.Authentication, version);
            Signal();
            return saved;
        }
        finally
        {
            _loadGate.Release();
        }
    }

    public void Dispose()
    {
        _loadGate.Dispose();
        Volatile.Read(ref _changes).Dispose();
    }

    private void Signal()
    {
        // The options monitor registers again on the new token from inside the callback.
        var previous = Interlocked.Exchange(ref _changes, new CancellationTokenSource());
        previous.Cancel();
    }

    /// <summary>
    /// The saved settings (or none yet) and the store's version of them; with <see cref="Problem"/>, why the stored
    /// version could not be read (<see cref="Settings"/> are then the ones in use before, if any).
    /// </summary>
    internal sealed record Snapshot(StoredMailSettings? Settings, string? Version, string? Problem = null)
    {
        public static Snapshot Empty { get; } = new(null, null);
    }
}
