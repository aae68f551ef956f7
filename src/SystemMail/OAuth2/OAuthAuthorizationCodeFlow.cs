using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace SystemMail;

/// <summary>
/// "Generate access token": the authorization-code round trip with a single-use <c>state</c> and a PKCE (S256)
/// verifier, kept as a pending authorization in the token store so any instance of a farm can complete it.
/// </summary>
/// <remarks>
/// A callback is accepted only once, before the pending authorization expires, from whoever started it, and for
/// the provider information it was started with; only then is the code exchanged and the tokens stored.
/// </remarks>
internal sealed class OAuthAuthorizationCodeFlow
{
    private readonly OAuthTokenRecords _records;
    private readonly OAuthTokenEndpoint _endpoint;
    private readonly OAuthAccessTokens _accessTokens;
    private readonly OAuthTokenStatusEvents _status;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public OAuthAuthorizationCodeFlow(OAuthTokenRecords records, OAuthTokenEndpoint endpoint, OAuthAccessTokens accessTokens, OAuthTokenStatusEvents status, TimeProvider time, ILogger logger)
    {
        _records = records;
        _endpoint = endpoint;
        _accessTokens = accessTokens;
        _status = status;
        _time = time;
        _logger = logger;
    }

    public async Task<OAuthAuthorizationRequest> CreateAuthorizationUrlAsync(SmtpSettings smtp, string? boundTo, CancellationToken cancellationToken)
    {
        var oauth = RequireAuthorizationCodeFlow(smtp);
        var state = RandomToken();
        var verifier = RandomToken();
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var url = _endpoint.CreateAuthorizationUrl(oauth, state, challenge);
        var expiresAt = _time.GetUtcNow() + oauth.AuthorizationLifetime;
        var pending = new PendingAuthorization
        {
            CodeVerifier = verifier,
            Fingerprint = new Dictionary<string, string>(oauth.Fingerprint),
            ExpiresAt = expiresAt,
            BoundTo = boundTo,
        };
        await _records.SavePendingAsync(state, pending, cancellationToken).ConfigureAwait(false);

        Log.AuthorizationStarted(_logger, oauth.ProviderId, oauth.Username);
        return new OAuthAuthorizationRequest(url, state, expiresAt);
    }

    public async Task<OAuthTokenStatus> CompleteAuthorizationAsync(SmtpSettings smtp, string? code, string? state, string? providerError, string? providerErrorDescription, string? boundTo, CancellationToken cancellationToken)
    {
        var oauth = RequireAuthorizationCodeFlow(smtp);
        if (string.IsNullOrEmpty(state))
        {
            throw AuthorizationFailed("The authorization response has no state.", Hints.AuthorizationStateInvalid);
        }

        // Single use: the pending authorization is removed before anything else, whatever the outcome.
        var pending = await _records.TakePendingAsync(state, cancellationToken).ConfigureAwait(false);
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

        var record = OAuthTokenRecord.NotGenerated(oauth);
        OAuthTokens tokens;
        try
        {
            tokens = await _endpoint.ExchangeCodeAsync(oauth, record, code, pending.CodeVerifier, cancellationToken).ConfigureAwait(false);
        }
        catch (OAuthProtocolException ex)
        {
            throw OAuthErrorMapping.ToSystemMailException(OAuthTokenOperation.CodeExchange, oauth, ex);
        }

        var now = _time.GetUtcNow();
        record.Apply(tokens, now);
        record.State = OAuthTokenState.Generated;
        record.GeneratedAt = now;

        // A new consent replaces whatever is stored, so the save is retried until it lands.
        await _accessTokens.SaveGeneratedAsync(oauth, record, cancellationToken).ConfigureAwait(false);
        Log.TokensGenerated(_logger, oauth.ProviderId, oauth.Username);
        return _status.Publish(record);
    }

    private static OAuthSettings RequireAuthorizationCodeFlow(SmtpSettings smtp)
    {
        if (smtp.OAuth2 is not { Flow: OAuthFlow.AuthorizationCode } oauth)
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

    private static string RandomToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
