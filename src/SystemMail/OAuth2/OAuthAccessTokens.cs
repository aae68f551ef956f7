using Microsoft.Extensions.Logging;

namespace SystemMail;

/// <summary>
/// The access token for sending: cached in memory while valid beyond <see cref="OAuthSettings.RefreshMargin"/>,
/// then refreshed (or, for the client-credentials flow, acquired again) by one caller at a time while the others
/// wait for its result. The in-memory copy changes only here, and is checked against the store every
/// <see cref="OAuthSettings.StoreCheckInterval"/>.
/// </summary>
/// <remarks>
/// The rules for several instances sharing one token store:
/// <list type="bullet">
/// <item>Tokens are saved only over the version the refresh started from (compare-and-swap); when another instance
/// saved first, its newer tokens are adopted instead of ours (<see cref="SaveRefreshedAsync"/>).</item>
/// <item>A refresh token refused with <c>invalid_grant</c> may only mean another instance rotated it: the store is
/// polled for that instance's tokens before the tokens are marked MustRegenerate (<see cref="RefreshAsync"/>).</item>
/// <item>Once marked MustRegenerate, the token endpoint is not asked again until a new consent.</item>
/// <item>Tokens another instance cleared, or marked MustRegenerate, are noticed at the next read of the store, at most
/// <see cref="OAuthSettings.StoreCheckInterval"/> after the last: then they are unusable here too, and this instance's
/// connections that logged in with them close (<see cref="OAuthTokenStatusEvents"/>).</item>
/// </list>
/// </remarks>
internal sealed class OAuthAccessTokens : IDisposable
{
    /// <summary>How long to wait, between reads of the store, for tokens another instance is about to save.</summary>
    internal static readonly TimeSpan NewerTokensPollInterval = TimeSpan.FromMilliseconds(250);
    private const int NewerTokensPolls = 8;
    private const int MaxRefreshRetries = 2;
    private readonly OAuthTokenRecords _records;
    private readonly OAuthTokenEndpoint _endpoint;
    private readonly OAuthTokenStatusEvents _status;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Snapshot? _snapshot;

    public OAuthAccessTokens(OAuthTokenRecords records, OAuthTokenEndpoint endpoint, OAuthTokenStatusEvents status, TimeProvider time, ILogger logger)
    {
        _records = records;
        _endpoint = endpoint;
        _status = status;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Gets an access token for sending. <paramref name="rejectedAccessToken"/> is the token the SMTP server just
    /// refused: it is never returned again.
    /// </summary>
    public async Task<string> GetAsync(OAuthSettings oauth, string? rejectedAccessToken, CancellationToken cancellationToken)
    {
        if (Checked(Volatile.Read(ref _snapshot), oauth, rejectedAccessToken) is { } cached)
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Checked(Volatile.Read(ref _snapshot), oauth, rejectedAccessToken) is { } refreshedMeanwhile)
            {
                return refreshedMeanwhile;
            }

            OAuthTokenRecord? record;
            string? version;
            try
            {
                (record, version, _) = await LoadAsync(oauth, cancellationToken).ConfigureAwait(false);
            }
            catch (SystemMailException ex) when (ex.Kind == SystemMailErrorKind.Transient &&
                                                 Volatile.Read(ref _snapshot) is { } known && Fresh(known, oauth, rejectedAccessToken) is { } stillValid)
            {
                // Only a check, and the store is down: mail goes on with the token in memory, which is still valid,
                // and the store is read again at the next check rather than before every mail.
                Log.TokenCheckFailed(_logger, oauth.ProviderId, ex.InnerException?.GetType().Name ?? ex.Kind.ToString());
                Volatile.Write(ref _snapshot, known with { ReadAt = _time.GetUtcNow() });
                return stillValid;
            }

            if (record is not null && Fresh(Read(oauth, record, version), oauth, rejectedAccessToken) is { } stored)
            {
                // Still what this instance knew, or another instance refreshed, or the token was kept in the store across a restart.
                Volatile.Write(ref _snapshot, Read(oauth, record, version));
                return stored;
            }

            if (Volatile.Read(ref _snapshot) is { Record.State: OAuthTokenState.Generated } && record?.State != OAuthTokenState.Generated)
            {
                // Cleared or refused on another instance: unusable here too, and the connections that logged in with
                // them close.
                Volatile.Write(ref _snapshot, null);
                _status.Raise(record?.ToStatus() ?? new OAuthTokenStatus(OAuthTokenState.NotGenerated));
            }

            if (oauth.Flow is OAuthFlow.ClientCredentials or OAuthFlow.ServiceAccount)
            {
                return await AcquireForClientAsync(oauth, record, version, cancellationToken).ConfigureAwait(false);
            }

            if (record is null || record.State == OAuthTokenState.NotGenerated)
            {
                throw new SystemMailException(
                    SystemMailErrorKind.Authentication,
                    $"No OAuth2 tokens are stored for {oauth.Username}{(record?.Reason is { } reason ? ": " + reason : ".")}",
                    Hints.GenerateAccessToken);
            }

            if (record.State == OAuthTokenState.MustRegenerate)
            {
                // The token endpoint already refused this refresh token: asking again would only hammer it.
                throw OAuthErrorMapping.MustRegenerate(oauth, record.Reason);
            }

            return await RefreshAsync(oauth, record, version, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Gets the status of the stored tokens for <paramref name="oauth"/> (deleting tokens issued for other provider information).</summary>
    public async Task<OAuthTokenStatus> GetStatusAsync(OAuthSettings oauth, CancellationToken cancellationToken)
    {
        var (record, _, _) = await LoadAsync(oauth, cancellationToken).ConfigureAwait(false);
        return record?.ToStatus() ?? new OAuthTokenStatus(OAuthTokenState.NotGenerated);
    }

    /// <summary>Saves the tokens a new consent produced over whatever is stored, and sends with them from now on.</summary>
    public async Task SaveGeneratedAsync(OAuthSettings oauth, OAuthTokenRecord record, CancellationToken cancellationToken) =>
        await SaveReplacingAsync(oauth, record, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Deletes the stored tokens and the in-memory copy. With the current OAuth2 settings, a record without tokens takes
    /// their place and says who cleared them, when and why; without (the settings are invalid or not OAuth2), nothing
    /// is left.
    /// </summary>
    /// <returns>The status after the clear.</returns>
    public async Task<OAuthTokenStatus> ClearAsync(OAuthSettings? oauth, string clearedBy, string reason, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Volatile.Write(ref _snapshot, null);
            if (oauth is null)
            {
                await _records.RemoveAsync(cancellationToken).ConfigureAwait(false);
                return new OAuthTokenStatus(OAuthTokenState.NotGenerated, reason: reason) { ClearedBy = clearedBy, ClearedAt = _time.GetUtcNow() };
            }

            var record = OAuthTokenRecord.Cleared(oauth.Fingerprint, clearedBy, _time.GetUtcNow(), reason);
            await _records.SaveReplacingAsync(record, cancellationToken).ConfigureAwait(false);
            return record.ToStatus();
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task<string> RefreshAsync(OAuthSettings oauth, OAuthTokenRecord record, string? version, CancellationToken cancellationToken, int attempt = 0)
    {
        OAuthTokens tokens;
        // Read before the call: a library may clear the record's refresh token when the endpoint refuses it.
        var usedRefreshToken = record.RefreshToken;
        try
        {
            tokens = await _endpoint.RefreshAsync(oauth, record, cancellationToken).ConfigureAwait(false);
        }
        catch (OAuthProtocolException ex) when (ex.IsInvalidGrant)
        {
            // Another instance may have rotated the refresh token (the provider then refuses the old one) and be
            // about to save the new one: give it a moment and use its tokens rather than give up.
            for (var wait = 0; wait < NewerTokensPolls; wait++)
            {
                var (latest, latestVersion, _) = await LoadAsync(oauth, cancellationToken).ConfigureAwait(false);
                if (latestVersion != version && latest is { State: OAuthTokenState.Generated } &&
                    (latest.RefreshToken != usedRefreshToken || latest.MsalCache is not null))
                {
                    if (Fresh(Read(oauth, latest, latestVersion), oauth, null) is { } adopted)
                    {
                        Log.NewerTokensKept(_logger, oauth.ProviderId);
                        Volatile.Write(ref _snapshot, Read(oauth, latest, latestVersion));
                        return adopted;
                    }

                    if (attempt < MaxRefreshRetries)
                    {
                        return await RefreshAsync(oauth, latest, latestVersion, cancellationToken, attempt + 1).ConfigureAwait(false);
                    }
                }

                if (latest is { State: OAuthTokenState.MustRegenerate })
                {
                    throw OAuthErrorMapping.MustRegenerate(oauth, latest.Reason, ex);
                }

                // On the TimeProvider like every other wait, although what it waits for is another instance's save.
                await Task.Delay(NewerTokensPollInterval, _time, cancellationToken).ConfigureAwait(false);
            }

            Log.RefreshRefused(_logger, oauth.ProviderId, oauth.Username, ex.Error ?? "error");
            record.State = OAuthTokenState.MustRegenerate;
            record.Reason = OAuthErrorMapping.RefreshTokenRefusedReason(ex);
            record.AccessToken = null;
            record.ClearedBy = OAuthTokenStatus.Application;
            record.ClearedAt = _time.GetUtcNow();

            // Only over the version this refresh started from: never over tokens another instance saved since.
            var saved = await _records.TrySaveAsync(record, version, cancellationToken).ConfigureAwait(false);
            if (saved is null && attempt < MaxRefreshRetries)
            {
                var (latest, latestVersion, _) = await LoadAsync(oauth, cancellationToken).ConfigureAwait(false);
                if (latest is { State: OAuthTokenState.Generated })
                {
                    return await RefreshAsync(oauth, latest, latestVersion, cancellationToken, attempt + 1).ConfigureAwait(false);
                }
            }

            Volatile.Write(ref _snapshot, null);
            _status.Publish(record);
            throw OAuthErrorMapping.ToSystemMailException(OAuthTokenOperation.Refresh, oauth, ex);
        }
        catch (OAuthProtocolException ex)
        {
            throw OAuthErrorMapping.ToSystemMailException(OAuthTokenOperation.Refresh, oauth, ex);
        }

        record.Apply(tokens, _time.GetUtcNow());
        record = await SaveRefreshedAsync(oauth, record, version, cancellationToken).ConfigureAwait(false);
        Log.TokenRefreshed(_logger, oauth.ProviderId, oauth.Username);
        _status.Publish(record);
        return record.AccessToken!;
    }

    private async Task<string> AcquireForClientAsync(OAuthSettings oauth, OAuthTokenRecord? record, string? version, CancellationToken cancellationToken)
    {
        record ??= OAuthTokenRecord.NotGenerated(oauth);
        OAuthTokens tokens;
        try
        {
            tokens = await _endpoint.AcquireForClientAsync(oauth, record, cancellationToken).ConfigureAwait(false);
        }
        catch (OAuthProtocolException ex)
        {
            throw OAuthErrorMapping.ToSystemMailException(
                oauth.Flow == OAuthFlow.ServiceAccount ? OAuthTokenOperation.ServiceAccount : OAuthTokenOperation.ClientCredentials, oauth, ex);
        }

        var now = _time.GetUtcNow();
        record.Apply(tokens, now);
        record.State = OAuthTokenState.Generated;
        record.GeneratedAt ??= now;
        record = await SaveRefreshedAsync(oauth, record, version, cancellationToken).ConfigureAwait(false);
        Log.TokenRefreshed(_logger, oauth.ProviderId, oauth.Username);
        _status.Publish(record);
        return record.AccessToken!;
    }

    /// <summary>Saves refreshed tokens unless another instance saved first; then its (newer) tokens are kept and used.</summary>
    private async Task<OAuthTokenRecord> SaveRefreshedAsync(OAuthSettings oauth, OAuthTokenRecord record, string? version, CancellationToken cancellationToken)
    {
        var saved = await _records.TrySaveAsync(record, version, cancellationToken).ConfigureAwait(false);
        if (saved is not null)
        {
            Volatile.Write(ref _snapshot, Read(oauth, record, saved));
            return record;
        }

        var (latest, latestVersion, _) = await LoadAsync(oauth, cancellationToken).ConfigureAwait(false);
        if (latest is { State: OAuthTokenState.Generated } && Fresh(Read(oauth, latest, latestVersion), oauth, null) is not null)
        {
            Log.NewerTokensKept(_logger, oauth.ProviderId);
            Volatile.Write(ref _snapshot, Read(oauth, latest, latestVersion));
            return latest;
        }

        // What is stored is older or unusable: ours is the newest.
        await SaveReplacingAsync(oauth, record, cancellationToken).ConfigureAwait(false);
        return record;
    }

    private async Task SaveReplacingAsync(OAuthSettings oauth, OAuthTokenRecord record, CancellationToken cancellationToken)
    {
        var saved = await _records.SaveReplacingAsync(record, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _snapshot, record.State == OAuthTokenState.Generated ? Read(oauth, record, saved) : null);
    }

    /// <summary>Every read of the store goes through here: tokens the fingerprint rule just deleted must leave memory too.</summary>
    private async Task<StoredTokenRecord> LoadAsync(OAuthSettings oauth, CancellationToken cancellationToken)
    {
        var stored = await _records.LoadAsync(oauth, cancellationToken).ConfigureAwait(false);
        if (stored.Discarded)
        {
            Volatile.Write(ref _snapshot, null);
            _status.Publish(stored.Record!);
        }

        return stored;
    }

    /// <summary>The token of <paramref name="snapshot"/> when it may be sent: generated for these settings, not refused, and valid beyond the refresh margin.</summary>
    private string? Fresh(Snapshot? snapshot, OAuthSettings oauth, string? rejected)
    {
        if (snapshot is null || snapshot.Record.State != OAuthTokenState.Generated || snapshot.Record.AccessToken is not { } token ||
            token == rejected || snapshot.Record.AccessTokenExpiresAt is not { } expiresAt)
        {
            return null;
        }

        if (!ReferenceEquals(snapshot.Settings, oauth) && oauth.ChangesSince(snapshot.Record.Fingerprint).Count > 0)
        {
            return null;
        }

        return expiresAt - Margin(oauth, snapshot.Record, expiresAt) > _time.GetUtcNow() ? token : null;
    }

    /// <summary>
    /// The token of <paramref name="snapshot"/> when it may be sent (<see cref="Fresh"/>) and the store was read for it
    /// less than <see cref="OAuthSettings.StoreCheckInterval"/> ago.
    /// </summary>
    private string? Checked(Snapshot? snapshot, OAuthSettings oauth, string? rejected) =>
        snapshot is not null && _time.GetUtcNow() - snapshot.ReadAt < oauth.StoreCheckInterval ? Fresh(snapshot, oauth, rejected) : null;

    /// <summary>What the store holds now, for the in-memory copy.</summary>
    private Snapshot Read(OAuthSettings oauth, OAuthTokenRecord record, string? version) => new(oauth, record, version, _time.GetUtcNow());

    /// <summary>
    /// How long before its expiry a token is refreshed: <see cref="OAuthSettings.RefreshMargin"/>, but at most half the
    /// token's lifetime, so a token shorter-lived than the margin is refreshed once per lifetime, not on every use.
    /// </summary>
    private static TimeSpan Margin(OAuthSettings oauth, OAuthTokenRecord record, DateTimeOffset expiresAt) =>
        record.RefreshedAt is { } issued && expiresAt > issued && (expiresAt - issued) / 2 < oauth.RefreshMargin
            ? (expiresAt - issued) / 2
            : oauth.RefreshMargin;

    private sealed record Snapshot(OAuthSettings Settings, OAuthTokenRecord Record, string? Version, DateTimeOffset ReadAt);
}
