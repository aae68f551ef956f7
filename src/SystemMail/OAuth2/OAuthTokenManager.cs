using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SystemMail;

/// <summary>
/// Keeps the OAuth2 tokens of the configured mailbox: the "Generate access token" round trip, the status, and the
/// access token for sending, cached in memory and refreshed ahead of expiry, one refresh at a time.
/// </summary>
internal sealed class OAuthTokenManager : IOAuthTokenService, IDisposable
{
    private const string StateKeyPrefix = "state:";
    private const int NewerTokensPolls = 8;
    private static readonly TimeSpan NewerTokensPollInterval = TimeSpan.FromMilliseconds(250);
    private readonly SmtpSettingsSource _settings;
    private readonly GuardedOAuthTokenStore _store;
    private readonly OAuthRecordSerializer _serializer;
    private readonly Dictionary<OAuth2ClientType, IOAuth2ProviderClient> _clients;
    private readonly TimeProvider _time;
    private readonly SystemMailTelemetry _telemetry;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Snapshot? _snapshot;

    public OAuthTokenManager(
        SmtpSettingsSource settings,
        IOAuthTokenStore store,
        OAuthRecordSerializer serializer,
        IEnumerable<IOAuth2ProviderClient> clients,
        TimeProvider time,
        SystemMailTelemetry telemetry,
        ILogger<OAuthTokenManager>? logger = null)
    {
        _telemetry = telemetry;
        _settings = settings;
        _store = new GuardedOAuthTokenStore(store);
        _serializer = serializer;
        _clients = [];
        foreach (var client in clients)
        {
            foreach (var type in client.ClientTypes)
            {
                _clients.TryAdd(type, client);
            }
        }

        _time = time;
        _logger = logger ?? NullLogger<OAuthTokenManager>.Instance;
    }

    public event EventHandler<OAuthTokenStatusChangedEventArgs>? StatusChanged;

    public Uri? RedirectUri => _settings.Current.Options.OAuth2?.RedirectUri;

    public async Task<OAuthAuthorizationRequest> CreateAuthorizationUrlAsync(string? boundTo = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var oauth = RequireAuthorizationCodeFlow(_settings.Current);
        var client = Client(oauth);

        var state = RandomToken();
        var verifier = RandomToken();
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var expiresAt = _time.GetUtcNow() + oauth.AuthorizationLifetime;
        var pending = new PendingAuthorization
        {
            CodeVerifier = verifier,
            Fingerprint = new Dictionary<string, string>(oauth.Fingerprint),
            ExpiresAt = expiresAt,
            BoundTo = boundTo,
        };
        await _store.TrySaveAsync(StateKeyPrefix + state, _serializer.Serialize(pending, OAuthJsonContext.Default.PendingAuthorization), expectedVersion: null, cancellationToken).ConfigureAwait(false);

        Log.AuthorizationStarted(_logger, oauth.ProviderId, oauth.Username);
        return new OAuthAuthorizationRequest(client.CreateAuthorizationUrl(oauth, state, challenge), state, expiresAt);
    }

    public async Task<OAuthTokenStatus> CompleteAuthorizationAsync(string? code, string? state, string? providerError = null, string? providerErrorDescription = null, string? boundTo = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var oauth = RequireAuthorizationCodeFlow(_settings.Current);
        if (string.IsNullOrEmpty(state))
        {
            throw AuthorizationFailed("The authorization response has no state.", Hints.AuthorizationStateInvalid);
        }

        // Single use: the pending authorization is removed before anything else, whatever the outcome.
        var key = StateKeyPrefix + state;
        var entry = await _store.GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (entry is not null)
        {
            await _store.RemoveAsync(key, cancellationToken).ConfigureAwait(false);
        }

        var pending = entry is null ? null : _serializer.Deserialize(entry.Value, OAuthJsonContext.Default.PendingAuthorization);
        if (pending is null)
        {
            throw AuthorizationFailed("The authorization response's state is unknown or was already used.", Hints.AuthorizationStateInvalid);
        }

        if (pending.ExpiresAt <= _time.GetUtcNow())
        {
            throw AuthorizationFailed("The authorization request has expired.", Hints.AuthorizationStateInvalid);
        }

        if (!string.Equals(pending.BoundTo, boundTo, StringComparison.Ordinal))
        {
            throw AuthorizationFailed("The authorization was started by someone else.", Hints.AuthorizationStateInvalid);
        }

        if (oauth.ChangesSince(pending.Fingerprint) is { Count: > 0 } changed)
        {
            throw AuthorizationFailed($"The provider information changed ({string.Join(", ", changed)}) after the authorization started.", Hints.AuthorizationStateInvalid);
        }

        if (!string.IsNullOrEmpty(providerError))
        {
            throw AuthorizationFailed($"The provider refused the authorization: {providerError}{(string.IsNullOrEmpty(providerErrorDescription) ? string.Empty : " (" + providerErrorDescription + ")")}.", Hints.AuthorizationRefused);
        }

        if (string.IsNullOrEmpty(code))
        {
            throw AuthorizationFailed("The authorization response has no code.", Hints.AuthorizationStateInvalid);
        }

        var record = NewRecord(oauth);
        OAuthTokens tokens;
        try
        {
            tokens = await WithTimeoutAsync(oauth, token => Client(oauth).ExchangeCodeAsync(oauth, record, code, pending.CodeVerifier, token), cancellationToken).ConfigureAwait(false);
        }
        catch (OAuth2ProtocolException ex)
        {
            throw ex.IsTransient
                ? TokenEndpointUnavailable(oauth, ex)
                : new SystemMailException(SystemMailErrorKind.Authentication, $"The provider refused the authorization code: {ex.Message}.", Hints.CodeExchangeFailed, innerException: ex);
        }

        var now = _time.GetUtcNow();
        Apply(record, tokens, now);
        record.State = OAuthTokenState.Generated;
        record.GeneratedAt = now;

        // A new consent replaces whatever is stored, so the save is retried until it lands.
        await SaveReplacingAsync(record, cancellationToken).ConfigureAwait(false);
        Log.TokensGenerated(_logger, oauth.ProviderId, oauth.Username);
        return Publish(record);
    }

    public async Task<OAuthTokenStatus> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var smtp = _settings.Current;
        if (smtp.OAuth2 is not { } oauth)
        {
            return new OAuthTokenStatus(OAuthTokenState.NotGenerated, reason: "Authentication is not OAuth2.");
        }

        var (record, _) = await LoadAsync(oauth, cancellationToken).ConfigureAwait(false);
        return record?.ToStatus() ?? new OAuthTokenStatus(OAuthTokenState.NotGenerated);
    }

    public async Task ClearTokensAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _store.RemoveAsync(OAuth2Settings.TokenKey, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _snapshot, null);
        }
        finally
        {
            _gate.Release();
        }

        RaiseStatusChanged(new OAuthTokenStatus(OAuthTokenState.NotGenerated, reason: "The tokens were cleared."));
    }

    /// <summary>
    /// Gets an access token for sending. The cached token is returned while it is valid beyond the refresh margin;
    /// otherwise one caller refreshes and the others wait for its result. <paramref name="rejectedAccessToken"/> is the
    /// token the SMTP server just refused: it is never returned again.
    /// </summary>
    public async Task<string> GetAccessTokenAsync(OAuth2Settings oauth, string? rejectedAccessToken, CancellationToken cancellationToken)
    {
        if (Fresh(Volatile.Read(ref _snapshot), oauth, rejectedAccessToken) is { } cached)
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Fresh(Volatile.Read(ref _snapshot), oauth, rejectedAccessToken) is { } refreshedMeanwhile)
            {
                return refreshedMeanwhile;
            }

            var (record, version) = await LoadAsync(oauth, cancellationToken).ConfigureAwait(false);
            if (record is not null && Fresh(new Snapshot(oauth, record, version), oauth, rejectedAccessToken) is { } stored)
            {
                // Another instance refreshed, or the token was cached in the store across a restart.
                Volatile.Write(ref _snapshot, new Snapshot(oauth, record, version));
                return stored;
            }

            if (oauth.Flow == OAuth2Flow.ClientCredentials)
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
                throw MustRegenerate(oauth, record.Reason);
            }

            return await RefreshAsync(oauth, record, version, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task<string> RefreshAsync(OAuth2Settings oauth, OAuthTokenRecord record, string? version, CancellationToken cancellationToken, int attempt = 0)
    {
        OAuthTokens tokens;
        // Read before the call: a library may clear the record's refresh token when the endpoint refuses it.
        var usedRefreshToken = record.RefreshToken;
        try
        {
            tokens = await WithTimeoutAsync(oauth, token => Client(oauth).RefreshAsync(oauth, record, token), cancellationToken).ConfigureAwait(false);
        }
        catch (OAuth2ProtocolException ex) when (ex.IsInvalidGrant)
        {
            // Another instance may have rotated the refresh token (the provider then refuses the old one) and be
            // about to save the new one: give it a moment and use its tokens rather than give up.
            for (var wait = 0; wait < NewerTokensPolls; wait++)
            {
                var (latest, latestVersion) = await LoadAsync(oauth, cancellationToken).ConfigureAwait(false);
                if (latestVersion != version && latest is { State: OAuthTokenState.Generated } &&
                    (latest.RefreshToken != usedRefreshToken || latest.MsalCache is not null))
                {
                    if (Fresh(new Snapshot(oauth, latest, latestVersion), oauth, null) is { } adopted)
                    {
                        Log.NewerTokensKept(_logger, oauth.ProviderId);
                        Volatile.Write(ref _snapshot, new Snapshot(oauth, latest, latestVersion));
                        return adopted;
                    }

                    if (attempt < 2)
                    {
                        return await RefreshAsync(oauth, latest, latestVersion, cancellationToken, attempt + 1).ConfigureAwait(false);
                    }
                }

                if (latest is { State: OAuthTokenState.MustRegenerate })
                {
                    throw MustRegenerate(oauth, latest.Reason, ex);
                }

                // The system clock, not the injected one: this waits for another process's I/O, not for an expiry.
                await Task.Delay(NewerTokensPollInterval, TimeProvider.System, cancellationToken).ConfigureAwait(false);
            }

            var reason = $"The provider refused the refresh token ({ex.Message}).";
            Log.RefreshRefused(_logger, oauth.ProviderId, oauth.Username, ex.Error ?? "error");
            record.State = OAuthTokenState.MustRegenerate;
            record.Reason = reason;
            record.AccessToken = null;

            // Only over the version this refresh started from: never over tokens another instance saved since.
            var saved = await _store.TrySaveAsync(OAuth2Settings.TokenKey, _serializer.Serialize(record, OAuthJsonContext.Default.OAuthTokenRecord), version, cancellationToken).ConfigureAwait(false);
            if (saved is null && attempt < 2)
            {
                var (latest, latestVersion) = await LoadAsync(oauth, cancellationToken).ConfigureAwait(false);
                if (latest is { State: OAuthTokenState.Generated })
                {
                    return await RefreshAsync(oauth, latest, latestVersion, cancellationToken, attempt + 1).ConfigureAwait(false);
                }
            }

            Volatile.Write(ref _snapshot, null);
            Publish(record);
            throw MustRegenerate(oauth, reason, ex);
        }
        catch (OAuth2ProtocolException ex)
        {
            throw ex.IsTransient
                ? TokenEndpointUnavailable(oauth, ex)
                : new SystemMailException(SystemMailErrorKind.Authentication, $"Refreshing the OAuth2 access token failed: {ex.Message}.", Hints.RegenerateAccessToken, innerException: ex);
        }

        Apply(record, tokens, _time.GetUtcNow());
        record = await SaveRefreshedAsync(oauth, record, version, cancellationToken).ConfigureAwait(false);
        Log.TokenRefreshed(_logger, oauth.ProviderId, oauth.Username);
        Publish(record);
        return record.AccessToken!;
    }

    private async Task<string> AcquireForClientAsync(OAuth2Settings oauth, OAuthTokenRecord? record, string? version, CancellationToken cancellationToken)
    {
        record ??= NewRecord(oauth);
        OAuthTokens tokens;
        try
        {
            tokens = await WithTimeoutAsync(oauth, token => Client(oauth).AcquireForClientAsync(oauth, record, token), cancellationToken).ConfigureAwait(false);
        }
        catch (OAuth2ProtocolException ex)
        {
            throw ex.IsTransient
                ? TokenEndpointUnavailable(oauth, ex)
                : new SystemMailException(SystemMailErrorKind.Authentication, $"The provider refused the client credentials: {ex.Message}.", Hints.ClientCredentialsRefused, innerException: ex);
        }

        var now = _time.GetUtcNow();
        Apply(record, tokens, now);
        record.State = OAuthTokenState.Generated;
        record.GeneratedAt ??= now;
        record = await SaveRefreshedAsync(oauth, record, version, cancellationToken).ConfigureAwait(false);
        Log.TokenRefreshed(_logger, oauth.ProviderId, oauth.Username);
        Publish(record);
        return record.AccessToken!;
    }

    /// <summary>Saves refreshed tokens unless another instance saved first; then its (newer) tokens are kept and used.</summary>
    private async Task<OAuthTokenRecord> SaveRefreshedAsync(OAuth2Settings oauth, OAuthTokenRecord record, string? version, CancellationToken cancellationToken)
    {
        var saved = await _store.TrySaveAsync(OAuth2Settings.TokenKey, _serializer.Serialize(record, OAuthJsonContext.Default.OAuthTokenRecord), version, cancellationToken).ConfigureAwait(false);
        if (saved is not null)
        {
            Volatile.Write(ref _snapshot, new Snapshot(oauth, record, saved));
            return record;
        }

        var (latest, latestVersion) = await LoadAsync(oauth, cancellationToken).ConfigureAwait(false);
        if (latest is { State: OAuthTokenState.Generated } && Fresh(new Snapshot(oauth, latest, latestVersion), oauth, null) is not null)
        {
            Log.NewerTokensKept(_logger, oauth.ProviderId);
            Volatile.Write(ref _snapshot, new Snapshot(oauth, latest, latestVersion));
            return latest;
        }

        // What is stored is older or unusable: ours is the newest.
        await SaveReplacingAsync(record, cancellationToken).ConfigureAwait(false);
        return record;
    }

    private async Task SaveReplacingAsync(OAuthTokenRecord record, CancellationToken cancellationToken)
    {
        var bytes = _serializer.Serialize(record, OAuthJsonContext.Default.OAuthTokenRecord);
        for (var attempt = 0; ; attempt++)
        {
            var current = await _store.GetAsync(OAuth2Settings.TokenKey, cancellationToken).ConfigureAwait(false);
            var saved = await _store.TrySaveAsync(OAuth2Settings.TokenKey, bytes, current?.Version, cancellationToken).ConfigureAwait(false);
            if (saved is not null)
            {
                Volatile.Write(ref _snapshot, record.State == OAuthTokenState.Generated ? new Snapshot(OAuth2Settings.Create(_settings.Current), record, saved) : null);
                return;
            }

            if (attempt == 10)
            {
                throw new SystemMailException(SystemMailErrorKind.Transient, "The OAuth2 tokens could not be saved: the token store kept changing.", Hints.TokenStoreBusy);
            }
        }
    }

    /// <summary>Reads the stored record, applying ThingsBoard's rule: tokens issued for other provider information are deleted.</summary>
    private async Task<(OAuthTokenRecord? Record, string? Version)> LoadAsync(OAuth2Settings oauth, CancellationToken cancellationToken)
    {
        var entry = await _store.GetAsync(OAuth2Settings.TokenKey, cancellationToken).ConfigureAwait(false);
        if (entry is null)
        {
            return (null, null);
        }

        var record = _serializer.Deserialize(entry.Value, OAuthJsonContext.Default.OAuthTokenRecord);
        if (record is null)
        {
            return (null, entry.Version);
        }

        var changed = oauth.ChangesSince(record.Fingerprint);
        if (changed.Count == 0)
        {
            return (record, entry.Version);
        }

        var tombstone = NewRecord(oauth);
        tombstone.Reason = $"The provider information changed ({string.Join(", ", changed)}); the stored tokens were deleted.";
        var version = await _store.TrySaveAsync(OAuth2Settings.TokenKey, _serializer.Serialize(tombstone, OAuthJsonContext.Default.OAuthTokenRecord), entry.Version, cancellationToken).ConfigureAwait(false);
        if (version is null)
        {
            // Someone else wrote meanwhile (maybe with the new settings): read again.
            return await LoadAsync(oauth, cancellationToken).ConfigureAwait(false);
        }

        Volatile.Write(ref _snapshot, null);
        Log.TokensDiscarded(_logger, oauth.ProviderId, string.Join(", ", changed));
        Publish(tombstone);
        return (tombstone, version);
    }

    private string? Fresh(Snapshot? snapshot, OAuth2Settings oauth, string? rejected)
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

        return expiresAt - oauth.RefreshMargin > _time.GetUtcNow() ? token : null;
    }

    /// <summary>Bounds one token-endpoint call by <see cref="OAuth2Settings.Timeout"/>; running out of time is a transient failure.</summary>
    private async Task<OAuthTokens> WithTimeoutAsync(OAuth2Settings oauth, Func<CancellationToken, Task<OAuthTokens>> call, CancellationToken cancellationToken)
    {
        using var budget = new CancellationTokenSource(oauth.Timeout, _time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        var outcome = "failure";
        try
        {
            var tokens = await call(timeout.Token).ConfigureAwait(false);
            outcome = "success";
            return tokens;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            outcome = "timeout";
            throw new OAuth2ProtocolException("timeout", $"no answer within {oauth.Timeout.TotalSeconds:0.#} s", null, transient: true, ex);
        }
        catch (OAuth2ProtocolException ex)
        {
            outcome = ex.Error ?? "failure";
            throw;
        }
        finally
        {
            _telemetry.TokenRefreshes.Add(1, new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("systemmail.provider", oauth.ProviderId));
        }
    }

    private static void Apply(OAuthTokenRecord record, OAuthTokens tokens, DateTimeOffset now)
    {
        record.AccessToken = tokens.AccessToken;
        record.AccessTokenExpiresAt = tokens.AccessTokenExpiresAt;
        record.RefreshToken = tokens.RefreshToken ?? record.RefreshToken;
        record.RefreshTokenExpiresAt = tokens.RefreshTokenExpiresAt ?? record.RefreshTokenExpiresAt;
        record.RefreshedAt = now;
        record.Reason = null;
    }

    private static OAuthTokenRecord NewRecord(OAuth2Settings oauth) => new()
    {
        State = OAuthTokenState.NotGenerated,
        Fingerprint = new Dictionary<string, string>(oauth.Fingerprint),
    };

    private OAuthTokenStatus Publish(OAuthTokenRecord record)
    {
        var status = record.ToStatus();
        RaiseStatusChanged(status);
        return status;
    }

    private void RaiseStatusChanged(OAuthTokenStatus status)
    {
        try
        {
            StatusChanged?.Invoke(this, new OAuthTokenStatusChangedEventArgs(status));
        }
#pragma warning disable CA1031 // A host's handler must not break sending.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.StatusHandlerFailed(_logger, ex);
        }
    }

    private IOAuth2ProviderClient Client(OAuth2Settings oauth) =>
        _clients.TryGetValue(oauth.ClientType, out var client)
            ? client
            : throw new SystemMailException(SystemMailErrorKind.Configuration, $"No OAuth2 client is registered for {oauth.ClientType} providers.", Hints.OAuth2ClientNotRegistered);

    private static OAuth2Settings RequireAuthorizationCodeFlow(SmtpSettings smtp)
    {
        if (smtp.OAuth2 is not { Flow: OAuth2Flow.AuthorizationCode } oauth)
        {
            throw new SystemMailException(
                SystemMailErrorKind.Configuration,
                "Generating an access token needs Authentication OAuth2 with the AuthorizationCode flow.",
                Hints.OAuth2NotConfigured);
        }

        return oauth;
    }

    private static SystemMailException AuthorizationFailed(string message, Hint hint) =>
        new(SystemMailErrorKind.Authentication, message, hint);

    private static SystemMailException MustRegenerate(OAuth2Settings oauth, string? reason, Exception? inner = null) =>
        new(SystemMailErrorKind.Authentication, $"The OAuth2 tokens for {oauth.Username} must be generated again{(reason is null ? "." : ": " + reason)}", Hints.RegenerateAccessToken, innerException: inner);

    private static SystemMailException TokenEndpointUnavailable(OAuth2Settings oauth, OAuth2ProtocolException ex) =>
        new(SystemMailErrorKind.Transient, $"The OAuth2 token endpoint {oauth.TokenEndpoint.Host} did not answer usefully ({ex.HttpStatus?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? ex.Message}).", Hints.TokenEndpointUnavailable(oauth.TokenEndpoint.Host), innerException: ex);

    private static string RandomToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed record Snapshot(OAuth2Settings Settings, OAuthTokenRecord Record, string? Version);
}
