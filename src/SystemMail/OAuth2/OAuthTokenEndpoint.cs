namespace SystemMail;

/// <summary>
/// Requests to the provider's token endpoint, through the registered <see cref="IOAuthProviderClient"/> for its
/// kind: each one bounded by <see cref="OAuthSettings.Timeout"/> on the <see cref="TimeProvider"/> and counted in
/// telemetry by outcome. A failure comes out as an <see cref="OAuthProtocolException"/>; running out of time is a
/// transient one. What a failure means is <see cref="OAuthErrorMapping"/>'s to say.
/// </summary>
internal sealed class OAuthTokenEndpoint
{
    private readonly Dictionary<OAuthClientType, IOAuthProviderClient> _clients = [];
    private readonly TimeProvider _time;
    private readonly SystemMailTelemetry _telemetry;

    public OAuthTokenEndpoint(IEnumerable<IOAuthProviderClient> clients, TimeProvider time, SystemMailTelemetry telemetry)
    {
        foreach (var client in clients)
        {
            foreach (var type in client.ClientTypes)
            {
                _clients.TryAdd(type, client);
            }
        }

        _time = time;
        _telemetry = telemetry;
    }

    public Uri CreateAuthorizationUrl(OAuthSettings oauth, string state, string codeChallenge) =>
        Client(oauth).CreateAuthorizationUrl(oauth, state, codeChallenge);

    public Task<OAuthTokens> ExchangeCodeAsync(OAuthSettings oauth, OAuthTokenRecord record, string code, string codeVerifier, CancellationToken cancellationToken) =>
        WithTimeoutAsync(oauth, token => Client(oauth).ExchangeCodeAsync(oauth, record, code, codeVerifier, token), cancellationToken);

    public Task<OAuthTokens> RefreshAsync(OAuthSettings oauth, OAuthTokenRecord record, CancellationToken cancellationToken) =>
        WithTimeoutAsync(oauth, token => Client(oauth).RefreshAsync(oauth, record, token), cancellationToken);

    public Task<OAuthTokens> AcquireForClientAsync(OAuthSettings oauth, OAuthTokenRecord record, CancellationToken cancellationToken) =>
        WithTimeoutAsync(oauth, token => Client(oauth).AcquireForClientAsync(oauth, record, token), cancellationToken);

    private async Task<OAuthTokens> WithTimeoutAsync(OAuthSettings oauth, Func<CancellationToken, Task<OAuthTokens>> call, CancellationToken cancellationToken)
    {
        // The timeout runs on the TimeProvider; the caller's token still cancels at once.
        using var deadline = new Deadline(_time, oauth.Timeout, cancellationToken);
        var outcome = "failure";
        try
        {
            var tokens = await call(deadline.Token).ConfigureAwait(false);
            outcome = "success";
            return tokens;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            outcome = "timeout";
            throw OAuthProtocolException.Unavailable("timeout", $"no answer within {oauth.Timeout.TotalSeconds:0.#} s", null, ex);
        }
        catch (OAuthProtocolException ex)
        {
            outcome = ex.Error ?? "failure";
            throw;
        }
        finally
        {
            _telemetry.TokenRefreshes.Add(1, new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("systemmail.provider", oauth.ProviderId));
        }
    }

    private IOAuthProviderClient Client(OAuthSettings oauth) =>
        _clients.TryGetValue(oauth.ClientType, out var client)
            ? client
            : throw new SystemMailException(SystemMailErrorKind.Configuration, $"No OAuth2 client is registered for {oauth.ClientType} providers.", Hints.OAuth2ClientNotRegistered);
}
