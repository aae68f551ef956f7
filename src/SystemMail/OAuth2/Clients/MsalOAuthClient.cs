using System.Text;
using Microsoft.Identity.Client;

namespace SystemMail;

/// <summary>
/// Office 365 (Microsoft Entra ID) through MSAL's confidential client. MSAL's token cache, which holds the refresh
/// token, is serialized into the token record that SystemMail persists in <see cref="IOAuthTokenStore"/>.
/// </summary>
internal sealed class MsalOAuthClient : IOAuthProviderClient
{
    /// <summary>Microsoft documents a sliding 90-day lifetime for refresh tokens of confidential clients.</summary>
    private static readonly TimeSpan RefreshTokenLifetime = TimeSpan.FromDays(90);

    /// <summary>MSAL adds these itself and refuses them as resource scopes.</summary>
    private static readonly HashSet<string> ReservedScopes = new(StringComparer.OrdinalIgnoreCase) { "openid", "profile", "offline_access" };

    private readonly MsalHttpClientFactory _http;
    private readonly TimeProvider _time;

    public MsalOAuthClient(MsalHttpClientFactory http, TimeProvider time)
    {
        _http = http;
        _time = time;
    }

    public IReadOnlyList<OAuthClientType> ClientTypes { get; } = [OAuthClientType.Microsoft];

    public Uri CreateAuthorizationUrl(OAuthSettings settings, string state, string codeChallenge)
    {
        // openid and profile make the provider return the id token MSAL needs to name the account in its cache.
        var scopes = settings.Scopes.Concat(["openid", "profile"]).Distinct(StringComparer.OrdinalIgnoreCase);
        var query = new StringBuilder();
        void Add(string name, string value) => query.Append(query.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        Add("client_id", settings.ClientId);
        Add("response_type", "code");
        Add("redirect_uri", settings.RedirectUri!.AbsoluteUri);
        Add("response_mode", "query");
        Add("scope", string.Join(' ', scopes));
        Add("state", state);
        Add("code_challenge", codeChallenge);
        Add("code_challenge_method", "S256");
        if (settings.SendsLoginHint && !string.IsNullOrEmpty(settings.Username) && !settings.AuthorizationParameters.ContainsKey("login_hint"))
        {
            Add("login_hint", settings.Username);
        }

        foreach (var (name, value) in settings.AuthorizationParameters)
        {
            Add(name, value);
        }

        return new Uri(settings.AuthorizationEndpoint!.GetLeftPart(UriPartial.Path) + query);
    }

    public async Task<OAuthTokens> ExchangeCodeAsync(OAuthSettings settings, OAuthTokenRecord record, string code, string codeVerifier, CancellationToken cancellationToken)
    {
        var app = CreateApp(settings, record);
        var result = await CallAsync(() => app.AcquireTokenByAuthorizationCode(ResourceScopes(settings), code)
            .WithPkceCodeVerifier(codeVerifier)
            .ExecuteAsync(cancellationToken)).ConfigureAwait(false);
        record.MsalAccountId = result.Account?.HomeAccountId?.Identifier;
        return ToTokens(result, withRefreshToken: true);
    }

    public async Task<OAuthTokens> RefreshAsync(OAuthSettings settings, OAuthTokenRecord record, CancellationToken cancellationToken)
    {
        var app = CreateApp(settings, record);
        var account = record.MsalAccountId is { } id ? await app.GetAccountAsync(id).ConfigureAwait(false) : null;
        if (account is null)
        {
            throw OAuthProtocolException.InvalidGrant("the token cache holds no account", null, innerException: null);
        }

        // SystemMail decides when to refresh (its margin, its clock); MSAL is asked to go to the token endpoint.
        var result = await CallAsync(() => app.AcquireTokenSilent(ResourceScopes(settings), account)
            .WithForceRefresh(true)
            .ExecuteAsync(cancellationToken)).ConfigureAwait(false);
        return ToTokens(result, withRefreshToken: true);
    }

    public async Task<OAuthTokens> AcquireForClientAsync(OAuthSettings settings, OAuthTokenRecord record, CancellationToken cancellationToken)
    {
        var app = CreateApp(settings, record);
        var result = await CallAsync(() => app.AcquireTokenForClient(settings.Scopes).ExecuteAsync(cancellationToken)).ConfigureAwait(false);
        return ToTokens(result, withRefreshToken: false);
    }

    private IConfidentialClientApplication CreateApp(OAuthSettings settings, OAuthTokenRecord record)
    {
        var endpoint = settings.TokenEndpoint;
        var path = endpoint.AbsolutePath;
        var index = path.IndexOf("/oauth2/", StringComparison.OrdinalIgnoreCase);
        var authority = endpoint.GetLeftPart(UriPartial.Authority) + (index >= 0 ? path[..index] : path).TrimEnd('/') + "/";

        var builder = ConfidentialClientApplicationBuilder.Create(settings.ClientId)
            .WithClientSecret(settings.ClientSecret)
            .WithAuthority(authority)
            // Retries are SystemMail's; MSAL's own retry would double the requests a failing endpoint sees.
            .WithHttpClientFactory(_http, retryOnceOn5xx: false);
        if (!IsMicrosoftCloud(endpoint.Host))
        {
            // Instance discovery only knows Microsoft's clouds; any other host (a sovereign proxy, a test server) skips it.
            builder = builder.WithInstanceDiscovery(false);
        }

        if (settings.RedirectUri is { } redirect)
        {
            builder = builder.WithRedirectUri(redirect.AbsoluteUri);
        }

        var app = builder.Build();
        app.UserTokenCache.SetBeforeAccess(args =>
        {
            if (record.MsalCache is { Length: > 0 } cache)
            {
                args.TokenCache.DeserializeMsalV3(cache, shouldClearExistingCache: true);
            }
        });
        app.UserTokenCache.SetAfterAccess(args =>
        {
            if (args.HasStateChanged)
            {
                record.MsalCache = args.TokenCache.SerializeMsalV3();
            }
        });
        return app;
    }

    private OAuthTokens ToTokens(AuthenticationResult result, bool withRefreshToken)
    {
        // MSAL stamps its expiry with the system clock (it takes no clock of its own), so the lifetime is read
        // against that clock and carried over to SystemMail's TimeProvider.
        var now = _time.GetUtcNow();
        var expiresAt = now + (result.ExpiresOn - TimeProvider.System.GetUtcNow());
        return new OAuthTokens(result.AccessToken, expiresAt, RefreshToken: null, withRefreshToken ? now + RefreshTokenLifetime : null);
    }

    private static IEnumerable<string> ResourceScopes(OAuthSettings settings) => settings.Scopes.Where(s => !ReservedScopes.Contains(s));

    private static bool IsMicrosoftCloud(string host) =>
        host.EndsWith(".microsoftonline.com", StringComparison.OrdinalIgnoreCase) ||
        host.EndsWith(".microsoftonline.us", StringComparison.OrdinalIgnoreCase) ||
        host.EndsWith(".partner.microsoftonline.cn", StringComparison.OrdinalIgnoreCase) ||
        host.Equals("login.microsoftonline.com", StringComparison.OrdinalIgnoreCase);

    private static async Task<AuthenticationResult> CallAsync(Func<Task<AuthenticationResult>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (MsalUiRequiredException ex)
        {
            // Revoked, expired or rotated-away refresh token: a new consent is needed.
            throw OAuthProtocolException.InvalidGrant(ex.Message, HttpStatus(ex), ex);
        }
        catch (MsalServiceException ex)
        {
            throw OAuthProtocolException.FromErrorResponse(ex.ErrorCode, ex.Message, HttpStatus(ex), ex);
        }
        catch (MsalClientException ex) when (ex.InnerException is HttpRequestException or TaskCanceledException or TimeoutException)
        {
            throw OAuthProtocolException.Unavailable(ex.ErrorCode, ex.Message, null, ex);
        }
        catch (HttpRequestException ex)
        {
            throw OAuthProtocolException.Unavailable("unavailable", ex.Message, (int?)ex.StatusCode, ex);
        }
    }

    /// <summary>MSAL reports "no HTTP answer" as status 0.</summary>
    private static int? HttpStatus(MsalServiceException ex) => ex.StatusCode == 0 ? null : ex.StatusCode;
}
