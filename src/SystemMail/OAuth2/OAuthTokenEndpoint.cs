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
    private readonly OAuthEndpointGuard _guard;

    public OAuthTokenEndpoint(IEnumerable<IOAuthProviderClient> clients, TimeProvider time, SystemMailTelemetry telemetry, OAuthEndpointGuard guard)
    {
        _guard = guard;
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

    /// <summary>The URL of the consent page; one from the settings page that the policy refuses is not made (the browser opens it, not SystemMail).</summary>
    public Uri CreateAuthorizationUrl(OAuthSettings oauth, string state, string codeChallenge)
    {
        if (oauth.AuthorizationEndpointPolicy is { } policy && oauth.AuthorizationEndpoint is { } endpoint && !policy.AllowsUnresolved(endpoint.IdnHost, endpoint.Port))
        {
            throw DestinationPolicy.Refusal("The authorization endpoint", $"{endpoint.Host}:{endpoint.Port}");
        }

        return Client(oauth).CreateAuthorizationUrl(oauth, state, codeChallenge);
    }

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
            await _guard.CheckAsync(oauth.TokenEndpoint, oauth.TokenEndpointPolicy, "The token endpoint", deadline.Token).ConfigureAwait(false);
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
        catch (SystemMailException ex) when (DestinationPolicy.IsRefusal(ex))
        {
            outcome = "refused";
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
