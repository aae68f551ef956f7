using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SystemMail;

/// <summary>
/// The templates an administrator saved, kept in the host's <see cref="IOAuthTokenStore"/> under <see cref="StoreKey"/>
/// beside the saved settings and the tokens, so every instance that shares the store sends with them.
/// </summary>
/// <remarks>
/// <para>All templates are one record: before each templated mail the mailer asks the store for it (one read; nothing
/// is parsed again unless its version changed), so a save on one instance applies to the next mail on every instance.</para>
/// <para>Each template has a version of its own, the record's revision when it was saved: a save or a reset names the
/// version it started from, and answers a conflict when someone saved or reset that template meanwhile. Saves of
/// different templates never conflict; a compare-and-swap on the record that loses to one is tried again.</para>
/// </remarks>
internal sealed class StoredMailTemplates : ISavedTemplateSource, IDisposable
{
    /// <summary>The store key of the saved templates.</summary>
    public const string StoreKey = "templates";

    /// <summary>How often a save is tried again when other templates were saved meanwhile.</summary>
    private const int Attempts = 8;

    private readonly IOAuthTokenStore _store;
    private readonly TimeProvider _time;
    private readonly TemplateHealth _health;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private SavedMailTemplates _current = SavedMailTemplates.Empty;
    private string? _unreadableVersion;

    public StoredMailTemplates(IOAuthTokenStore store, TimeProvider time, TemplateHealth health, ILogger<StoredMailTemplates>? logger = null)
    {
        _store = store;
        _time = time;
        _health = health;
        _logger = logger ?? NullLogger<StoredMailTemplates>.Instance;
    }

    public SavedMailTemplates Current => Volatile.Read(ref _current);

    public void Dispose() => _writeGate.Dispose();

    public async ValueTask RefreshAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await LoadAsync(cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The store down must not stop a mail: the templates read last apply.
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
#pragma warning restore CA1031
        {
            Log.SavedTemplatesUnavailable(_logger, _store.GetType().Name, ex.GetType().Name);
        }
    }

    /// <summary>Reads the record from the store; what another instance saved becomes <see cref="Current"/>.</summary>
    /// <exception cref="Exception">The store failed (its own exception).</exception>
    public async Task<SavedMailTemplates> LoadAsync(CancellationToken cancellationToken = default)
    {
        var entry = await _store.GetAsync(StoreKey, cancellationToken).ConfigureAwait(false);
        var current = Current;
        if (entry?.Version == current.StoreVersion)
        {
            return current;
        }

        SavedMailTemplates next;
        if (entry is null)
        {
            next = SavedMailTemplates.Empty;
        }
        else if (SavedTemplatesSerializer.Deserialize(entry.Value, entry.Version) is { } read)
        {
            next = read;
        }
        else
        {
            // Kept with its version so that the next save replaces it; the built-in templates apply meanwhile.
            if (_unreadableVersion != entry.Version)
            {
                _unreadableVersion = entry.Version;
                Log.SavedTemplatesUnreadable(_logger, entry.Version);
            }

            next = new SavedMailTemplates([], 0, entry.Version);
        }

        Publish(current, next);
        return Current;
    }

    /// <summary>Saves one template if its version is still <paramref name="expectedVersion"/> (<see langword="null"/>: none saved yet).</summary>
    /// <returns>The saved template, or <see langword="null"/> when someone saved or reset it meanwhile.</returns>
    public async Task<SavedMailTemplate?> TrySaveAsync(SystemMailKind kind, string culture, MailTemplate template, string? expectedVersion, string? updatedBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(template);
        var (saved, conflict) = await ChangeAsync(kind, culture, expectedVersion, anyVersion: false, revision =>
            new SavedMailTemplate(kind, culture, template.Subject ?? string.Empty, template.Html ?? string.Empty, template.Text ?? string.Empty,
                revision.ToString(System.Globalization.CultureInfo.InvariantCulture), updatedBy, _time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        return conflict ? null : saved;
    }

    /// <summary>
    /// Removes one saved template, so the built-in one applies again; <paramref name="expectedVersion"/> is the version the
    /// administrator saw, or <see langword="null"/> to remove whatever is saved.
    /// </summary>
    /// <returns><see langword="false"/> when the template changed since <paramref name="expectedVersion"/>; otherwise <see langword="true"/> (also when none was saved).</returns>
    public async Task<bool> TryResetAsync(SystemMailKind kind, string culture, string? expectedVersion, CancellationToken cancellationToken = default)
    {
        var (_, conflict) = await ChangeAsync(kind, culture, expectedVersion, anyVersion: expectedVersion is null, static _ => null, cancellationToken).ConfigureAwait(false);
        return !conflict;
    }

    /// <summary>Replaces the template of <paramref name="kind"/> and <paramref name="culture"/> with what <paramref name="create"/> makes of the next revision (nothing: removed).</summary>
    private async Task<(SavedMailTemplate? Template, bool Conflict)> ChangeAsync(
        SystemMailKind kind,
        string culture,
        string? expectedVersion,
        bool anyVersion,
        Func<long, SavedMailTemplate?> create,
        CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 0; attempt < Attempts; attempt++)
            {
                var current = await LoadAsync(cancellationToken).ConfigureAwait(false);
                var existing = current.Get(kind, culture);
                if (!anyVersion && existing?.Version != expectedVersion)
                {
                    return (null, true);
                }

                if (existing is null && anyVersion)
                {
                    return (null, false); // nothing to reset
                }

                var revision = current.Revision + 1;
                var template = create(revision);
                var all = current.All.Where(t => !ReferenceEquals(t, existing)).ToList();
                if (template is not null)
                {
                    all.Add(template);
                }

                var bytes = SavedTemplatesSerializer.Serialize(new SavedMailTemplates(all, revision, storeVersion: null));
                var version = await _store.TrySaveAsync(StoreKey, bytes, current.StoreVersion, cancellationToken).ConfigureAwait(false);
                if (version is not null)
                {
                    Publish(current, new SavedMailTemplates(all, revision, version));
                    return (template, false);
                }

                // Another instance saved the record (maybe another template) since it was read: read it and try again.
            }

            return (null, true);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private void Publish(SavedMailTemplates previous, SavedMailTemplates next)
    {
        Interlocked.CompareExchange(ref _current, next, previous);
        _health.Retain(Current);
    }
}
