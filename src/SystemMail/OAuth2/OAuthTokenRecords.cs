using Microsoft.Extensions.Logging;

namespace SystemMail;

/// <summary>
/// The records SystemMail keeps in the host's <see cref="IOAuthTokenStore"/>: the mailbox's token record under
/// <see cref="OAuthSettings.TokenKey"/> and the pending authorizations under <c>state:&lt;state&gt;</c>, serialized
/// (and protected) by <see cref="OAuthRecordSerializer"/>. Store failures become transient
/// <see cref="SystemMailException"/>s (<see cref="GuardedOAuthTokenStore"/>).
/// </summary>
internal sealed class OAuthTokenRecords
{
    private const string StateKeyPrefix = "state:";
    private const int ReplaceRetries = 10;
    private readonly GuardedOAuthTokenStore _store;
    private readonly OAuthRecordSerializer _serializer;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public OAuthTokenRecords(IOAuthTokenStore store, OAuthRecordSerializer serializer, TimeProvider time, ILogger logger)
    {
        _store = new GuardedOAuthTokenStore(store);
        _serializer = serializer;
        _time = time;
        _logger = logger;
    }

    /// <summary>Reads the stored record, applying the fingerprint rule.</summary>
    /// <remarks>
    /// The fingerprint rule: tokens issued for another destination or client secret are never used. They are
    /// replaced by a tombstone, a record without tokens that says which information changed, saved over the version
    /// read, so the status explains why a new consent is needed.
    /// </remarks>
    public async Task<StoredTokenRecord> LoadAsync(OAuthSettings oauth, CancellationToken cancellationToken)
    {
        var entry = await _store.GetAsync(OAuthSettings.TokenKey, cancellationToken).ConfigureAwait(false);
        if (entry is null)
        {
            return new(null, null);
        }

        var record = _serializer.Deserialize(entry.Value, OAuthJsonContext.Default.OAuthTokenRecord);
        if (record is null)
        {
            return new(null, entry.Version);
        }

        var changed = oauth.ChangesSince(record.Fingerprint);
        if (changed.Count == 0)
        {
            return new(record, entry.Version);
        }

        var tombstone = OAuthTokenRecord.Cleared(
            oauth.Fingerprint, OAuthTokenStatus.Application, _time.GetUtcNow(), $"The provider information changed ({string.Join(", ", changed)}); the stored tokens were deleted.");
        var version = await TrySaveAsync(tombstone, entry.Version, cancellationToken).ConfigureAwait(false);
        if (version is null)
        {
            // Someone else wrote meanwhile (maybe with the new settings): read again.
            return await LoadAsync(oauth, cancellationToken).ConfigureAwait(false);
        }

        Log.TokensDiscarded(_logger, oauth.ProviderId, string.Join(", ", changed));
        return new(tombstone, version, Discarded: true);
    }

    /// <summary>
    /// Saves <paramref name="record"/> only if the stored version is still <paramref name="expectedVersion"/>
    /// (compare-and-swap): never over tokens another instance saved since.
    /// </summary>
    /// <returns>The new version, or <see langword="null"/> when another writer saved first.</returns>
    public async Task<string?> TrySaveAsync(OAuthTokenRecord record, string? expectedVersion, CancellationToken cancellationToken) =>
        await _store.TrySaveAsync(OAuthSettings.TokenKey, _serializer.Serialize(record, OAuthJsonContext.Default.OAuthTokenRecord), expectedVersion, cancellationToken).ConfigureAwait(false);

    /// <summary>Saves <paramref name="record"/> over whatever is stored, retrying the compare-and-swap until it lands.</summary>
    /// <returns>The new version.</returns>
    public async Task<string> SaveReplacingAsync(OAuthTokenRecord record, CancellationToken cancellationToken)
    {
        var bytes = _serializer.Serialize(record, OAuthJsonContext.Default.OAuthTokenRecord);
        for (var attempt = 0; ; attempt++)
        {
            var current = await _store.GetAsync(OAuthSettings.TokenKey, cancellationToken).ConfigureAwait(false);
            var saved = await _store.TrySaveAsync(OAuthSettings.TokenKey, bytes, current?.Version, cancellationToken).ConfigureAwait(false);
            if (saved is not null)
            {
                return saved;
            }

            if (attempt == ReplaceRetries)
            {
                throw new SystemMailException(SystemMailErrorKind.Transient, "The OAuth2 tokens could not be saved: the token store kept changing.", Hints.TokenStoreBusy);
            }
        }
    }

    public async Task RemoveAsync(CancellationToken cancellationToken) =>
        await _store.RemoveAsync(OAuthSettings.TokenKey, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Keeps a started authorization until its callback, so any instance of a farm can complete it; the store drops it
    /// when it expires, so abandoned ones do not pile up.
    /// </summary>
    public async Task SavePendingAsync(string state, PendingAuthorization pending, CancellationToken cancellationToken) =>
        await _store.TrySaveExpiringAsync(StateKeyPrefix + state, _serializer.Serialize(pending, OAuthJsonContext.Default.PendingAuthorization), expectedVersion: null, pending.ExpiresAt, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Takes the pending authorization of <paramref name="state"/>: single use, removed as it is read
    /// (<see cref="IOAuthTokenStore.TakeAsync"/>), so of two callbacks with the same state only one gets it.
    /// </summary>
    /// <returns>The pending authorization, or <see langword="null"/> when the state is unknown, already used, expired or unreadable.</returns>
    public async Task<PendingAuthorization?> TakePendingAsync(string state, CancellationToken cancellationToken)
    {
        var entry = await _store.TakeAsync(StateKeyPrefix + state, cancellationToken).ConfigureAwait(false);
        return entry is null ? null : _serializer.Deserialize(entry.Value, OAuthJsonContext.Default.PendingAuthorization);
    }
}
