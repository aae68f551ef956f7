using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Flows;
using Google.Apis.Auth.OAuth2.Requests;
using Google.Apis.Auth.OAuth2.Responses;
using Google.Apis.Http;
using Google.Apis.Util;
using Google.Apis.Util.Store;

namespace SystemMail;

/// <summary>
/// Google and any standard OAuth2 server, through Google.Apis.Auth's generic <see cref="AuthorizationCodeFlow"/>
/// (whose <see cref="IDataStore"/> is the token record that SystemMail persists in <see cref="IOAuthTokenStore"/>).
/// </summary>
internal sealed class GoogleAuthOAuthClient : IOAuthProviderClient
{
    private readonly GoogleHttpClientFactory _httpClientFactory;
    private readonly TimeProvider _time;

    public GoogleAuthOAuthClient(GoogleHttpClientFactory httpClientFactory, TimeProvider time)
    {
        _httpClientFactory = httpClientFactory;
        _time = time;
    }

    public IReadOnlyList<OAuthClientType> ClientTypes { get; } = [OAuthClientType.Google, OAuthClientType.Generic];

    public Uri CreateAuthorizationUrl(OAuthSettings settings, string state, string codeChallenge)
    {
        // GoogleAuthorizationCodeRequestUrl is Google.Apis.Auth's URL builder with PKCE and extra parameters;
        // it takes any authorization endpoint.
        var url = new GoogleAuthorizationCodeRequestUrl(settings.AuthorizationEndpoint!)
        {
            ClientId = settings.ClientId,
            RedirectUri = settings.RedirectUri!.AbsoluteUri,
            Scope = string.Join(' ', settings.Scopes),
            State = state,
            CodeChallenge = codeChallenge,
            CodeChallengeMethod = "S256",

            // The URL builder asks Google for offline access by default; other servers get only what their settings say
            // (Google's template says access_type=offline itself).
            AccessType = null,
        };
        if (settings.SendsLoginHint && !string.IsNullOrEmpty(settings.Username))
        {
            url.LoginHint = settings.Username;
        }

        var extra = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in settings.AuthorizationParameters)
        {
            switch (name)
            {
                case "access_type":
                    url.AccessType = value;
                    break;
                case "prompt":
                    url.Prompt = value;
                    break;
                case "login_hint":
                    url.LoginHint = value;
                    break;
                default:
                    extra.Add(new(name, value));
                    break;
            }
        }

        url.UserDefinedQueryParams = extra;
        return url.Build();
    }

    public async Task<OAuthTokens> ExchangeCodeAsync(OAuthSettings settings, OAuthTokenRecord record, string code, string codeVerifier, CancellationToken cancellationToken)
    {
        var store = new RecordDataStore(record);
        using var flow = CreateFlow(settings, store);
        var request = new AuthorizationCodeTokenRequest
        {
            Code = code,
            RedirectUri = settings.RedirectUri!.AbsoluteUri,
            CodeVerifier = codeVerifier,
            Scope = string.Join(' ', settings.Scopes),
        };
        var response = await CallAsync(() => flow.ExchangeAsync(settings.Username, request, cancellationToken)).ConfigureAwait(false);
        return ToTokens(response);
    }

    public async Task<OAuthTokens> RefreshAsync(OAuthSettings settings, OAuthTokenRecord record, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(record.RefreshToken))
        {
            throw OAuthProtocolException.InvalidGrant("no refresh token is stored", null, innerException: null);
        }

        var store = new RecordDataStore(record);
        using var flow = CreateFlow(settings, store);
        var response = await CallAsync(() => flow.RefreshTokenAsync(settings.Username, record.RefreshToken, cancellationToken)).ConfigureAwait(false);
        return ToTokens(response);
    }

    public async Task<OAuthTokens> AcquireForClientAsync(OAuthSettings settings, OAuthTokenRecord record, CancellationToken cancellationToken)
    {
        if (settings.Flow == OAuthFlow.ServiceAccount)
        {
            return await AcquireForServiceAccountAsync(settings, cancellationToken).ConfigureAwait(false);
        }

        // Google.Apis.Auth's token request, with the client-credentials grant type (RFC 6749 section 4.4).
        var request = new TokenRequest
        {
            GrantType = "client_credentials",
            ClientId = settings.ClientId,
            ClientSecret = settings.ClientSecret,
            Scope = string.Join(' ', settings.Scopes),
        };
        using var http = _httpClientFactory.CreateHttpClient(new CreateHttpClientArgs());
        var response = await CallAsync(() => request.ExecuteAsync(http, settings.TokenEndpoint.AbsoluteUri, cancellationToken, new Clock(_time))).ConfigureAwait(false);
        return ToTokens(response);
    }

    /// <summary>
    /// Google.Apis.Auth's <see cref="ServiceAccountCredential"/>: a JWT signed with the service account's key, naming the
    /// mailbox as <c>sub</c> (domain-wide delegation) and the template's scopes, posted to the template's token endpoint
    /// (RFC 7523 JWT bearer grant).
    /// </summary>
    private async Task<OAuthTokens> AcquireForServiceAccountAsync(OAuthSettings settings, CancellationToken cancellationToken)
    {
        if (!ServiceAccountKey.TryParse(settings.ServiceAccountKey, out var key, out var problem))
        {
            throw OAuthProtocolException.FromErrorResponse("invalid_client", "OAuth2.ServiceAccountKey " + problem, httpStatus: 400, innerException: null);
        }

        var initializer = new ServiceAccountCredential.Initializer(key!.ClientEmail, settings.TokenEndpoint.AbsoluteUri)
        {
            User = settings.Username,
            Scopes = settings.Scopes,
            KeyId = key.PrivateKeyId,
            HttpClientFactory = _httpClientFactory,
            Clock = new Clock(_time),
            // Retries belong to SystemMail's own policy; the credential makes one request per call.
            DefaultExponentialBackOffPolicy = Google.Apis.Http.ExponentialBackOffPolicy.None,
        }.FromPrivateKey(key.PrivateKey);
        var credential = new ServiceAccountCredential(initializer);
        var response = await CallAsync(async () =>
        {
            await credential.RequestAccessTokenAsync(cancellationToken).ConfigureAwait(false);
            return credential.Token;
        }).ConfigureAwait(false);
        return ToTokens(response);
    }

    private PkceFlow CreateFlow(OAuthSettings settings, IDataStore store) =>
        new(new AuthorizationCodeFlow.Initializer(settings.AuthorizationEndpoint?.AbsoluteUri ?? settings.TokenEndpoint.AbsoluteUri, settings.TokenEndpoint.AbsoluteUri)
        {
            ClientSecrets = new ClientSecrets { ClientId = settings.ClientId, ClientSecret = settings.ClientSecret },
            Scopes = settings.Scopes,
            DataStore = store,
            HttpClientFactory = _httpClientFactory,
            Clock = new Clock(_time),
            // Retries belong to SystemMail's own policy; the flow makes one request per call.
            DefaultExponentialBackOffPolicy = Google.Apis.Http.ExponentialBackOffPolicy.None,
        });

    private OAuthTokens ToTokens(TokenResponse response)
    {
        var now = _time.GetUtcNow();
        return new OAuthTokens(
            response.AccessToken,
            now + TimeSpan.FromSeconds(response.ExpiresInSeconds ?? 3600),
            response.RefreshToken,
            RefreshTokenExpiresAt: null);
    }

    private static async Task<TokenResponse> CallAsync(Func<Task<TokenResponse>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (TokenResponseException ex)
        {
            throw OAuthProtocolException.FromErrorResponse(ex.Error?.Error, ex.Error?.ErrorDescription, (int?)ex.StatusCode, ex);
        }
        catch (HttpRequestException ex)
        {
            throw OAuthProtocolException.Unavailable("unavailable", ex.Message, (int?)ex.StatusCode, ex);
        }
        catch (TaskCanceledException ex) when (ex.InnerException is TimeoutException)
        {
            throw OAuthProtocolException.Unavailable("timeout", "the token endpoint did not answer in time", null, ex);
        }
    }

    /// <summary>The generic flow, exposing its exchange with a request that carries the PKCE verifier.</summary>
    private sealed class PkceFlow(AuthorizationCodeFlow.Initializer initializer) : AuthorizationCodeFlow(initializer)
    {
        public Task<TokenResponse> ExchangeAsync(string userId, AuthorizationCodeTokenRequest request, CancellationToken cancellationToken) =>
            ExchangeCodeForTokenAsync(userId, request, cancellationToken);
    }

    /// <summary>Google.Apis.Auth's clock on SystemMail's <see cref="TimeProvider"/>.</summary>
    private sealed class Clock(TimeProvider time) : IClock
    {
        public DateTime Now => time.GetLocalNow().DateTime;

        public DateTime UtcNow => time.GetUtcNow().UtcDateTime;
    }

    /// <summary>
    /// Google.Apis.Auth's <see cref="IDataStore"/> over the token record that SystemMail persists in
    /// <see cref="IOAuthTokenStore"/> with its fingerprint, status and version.
    /// </summary>
    private sealed class RecordDataStore(OAuthTokenRecord record) : IDataStore
    {
        public Task StoreAsync<T>(string key, T value)
        {
            if (value is TokenResponse token)
            {
                record.AccessToken = token.AccessToken;
                record.RefreshToken = token.RefreshToken ?? record.RefreshToken;
            }

            return Task.CompletedTask;
        }

        public Task DeleteAsync<T>(string key)
        {
            record.AccessToken = null;
            record.RefreshToken = null;
            return Task.CompletedTask;
        }

        public Task<T> GetAsync<T>(string key) =>
            Task.FromResult(typeof(T) == typeof(TokenResponse) && record.RefreshToken is not null
                ? (T)(object)new TokenResponse { AccessToken = record.AccessToken, RefreshToken = record.RefreshToken }
                : default!);

        public Task ClearAsync()
        {
            record.AccessToken = null;
            record.RefreshToken = null;
            return Task.CompletedTask;
        }
    }
}
