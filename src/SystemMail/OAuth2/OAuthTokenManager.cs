using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SystemMail;

/// <summary>
/// Keeps the OAuth2 tokens of the configured mailbox: <see cref="IOAuthTokenService"/> for the settings page, and
/// the access token for sending. The work is done by its parts, each holding one set of rules:
/// <see cref="OAuthAuthorizationCodeFlow"/> ("Generate access token"), <see cref="OAuthAccessTokens"/> (the cached
/// access token and its refresh), <see cref="OAuthTokenRecords"/> (the token store and the fingerprint rule),
/// <see cref="OAuthTokenEndpoint"/> (requests to the provider) and <see cref="OAuthErrorMapping"/> (what a refusal means).
/// </summary>
internal sealed class OAuthTokenManager : IOAuthTokenService, IDisposable
{
    private readonly SmtpSettingsSource _settings;
    private readonly OAuthTokenStatusEvents _status;
    private readonly OAuthAccessTokens _accessTokens;
    private readonly OAuthAuthorizationCodeFlow _authorization;

    public OAuthTokenManager(
        SmtpSettingsSource settings,
        IOAuthTokenStore store,
        OAuthRecordSerializer serializer,
        IEnumerable<IOAuthProviderClient> clients,
        TimeProvider time,
        SystemMailTelemetry telemetry,
        OAuthEndpointGuard guard,
        ILogger<OAuthTokenManager>? logger = null)
    {
        ILogger log = logger ?? NullLogger<OAuthTokenManager>.Instance;
        _settings = settings;
        _status = new OAuthTokenStatusEvents(this, log, CloseConnections);
        var records = new OAuthTokenRecords(store, serializer, time, log);
        var endpoint = new OAuthTokenEndpoint(clients, time, telemetry, guard);
        _accessTokens = new OAuthAccessTokens(records, endpoint, _status, time, log);
        _authorization = new OAuthAuthorizationCodeFlow(records, endpoint, _accessTokens, _status, time, log);
    }

    public event EventHandler<OAuthTokenStatusChangedEventArgs>? StatusChanged
    {
        add => _status.StatusChanged += value;
        remove => _status.StatusChanged -= value;
    }

    public Uri? RedirectUri => _settings.Current.Options.OAuth2?.RedirectUri;

    public Task<OAuthAuthorizationRequest> CreateAuthorizationUrlAsync(string? boundTo = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _authorization.CreateAuthorizationUrlAsync(_settings.Current, boundTo, cancellationToken);
    }

    public Task<OAuthTokenStatus> CompleteAuthorizationAsync(string? code, string? state, string? providerError = null, string? providerErrorDescription = null, string? boundTo = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _authorization.CompleteAuthorizationAsync(_settings.Current, code, state, providerError, providerErrorDescription, boundTo, cancellationToken);
    }

    public async Task<OAuthTokenStatus> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        SmtpSettings settings;
        try
        {
            settings = _settings.Current;
        }
        catch (SystemMailException ex) when (ex.Kind == SystemMailErrorKind.Configuration)
        {
            // A status page is where invalid settings get noticed: say so rather than fail. Validation failures name
            // settings and never repeat a secret, so the message may be shown.
            return new OAuthTokenStatus(OAuthTokenState.NotGenerated, reason: ex.Message);
        }

        if (settings.OAuth2 is not { } oauth)
        {
            return new OAuthTokenStatus(OAuthTokenState.NotGenerated, reason: "Authentication is not OAuth2.");
        }

        return await _accessTokens.GetStatusAsync(oauth, cancellationToken).ConfigureAwait(false);
    }

    public async Task<OAuthTokenStatus> ClearTokensAsync(string? clearedBy = null, string? reason = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        clearedBy = string.IsNullOrWhiteSpace(clearedBy) ? OAuthTokenStatus.Application : clearedBy.Trim();
        reason = string.IsNullOrWhiteSpace(reason) ? $"The tokens were cleared by {clearedBy}." : reason.Trim();
        OAuthSettings? oauth;
        try
        {
            oauth = _settings.Current.OAuth2;
        }
        catch (SystemMailException ex) when (ex.Kind == SystemMailErrorKind.Configuration)
        {
            oauth = null;
        }

        var status = await _accessTokens.ClearAsync(oauth, clearedBy, reason, cancellationToken).ConfigureAwait(false);
        _status.Raise(status);
        return status;
    }

    /// <summary>
    /// Gets an access token for sending. The cached token is returned while it is valid beyond the refresh margin;
    /// otherwise one caller refreshes and the others wait for its result. <paramref name="rejectedAccessToken"/> is the
    /// token the SMTP server just refused: it is never returned again.
    /// </summary>
    public Task<string> GetAccessTokenAsync(OAuthSettings oauth, string? rejectedAccessToken, CancellationToken cancellationToken) =>
        _accessTokens.GetAsync(oauth, rejectedAccessToken, cancellationToken);

    public void Dispose() => _accessTokens.Dispose();

    /// <summary>
    /// Tokens no longer usable (cleared, refused, discarded): the pooled connections that authenticated with them are
    /// closed at once (those sending now when their mail is done), so the next mail needs a token and fails until one
    /// is generated again, instead of going out on a connection still logged in.
    /// </summary>
    private void CloseConnections(OAuthTokenStatus status)
    {
        if (_settings.Installed is { Settings.OAuth2: not null } generation)
        {
            generation.Connections.CloseAll(status.State == OAuthTokenState.MustRegenerate ? "OAuth2 tokens refused" : "OAuth2 tokens cleared");
        }
    }
}
