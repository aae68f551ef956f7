using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;

namespace SystemMail.Tests.Infrastructure.OAuth2;

/// <summary>
/// A real OAuth2 / OpenID Connect authorization server on https://127.0.0.1 (an OS-chosen port) for tests:
/// authorization code with PKCE, refresh token (rotating or not) and client credentials, with Microsoft-style
/// tenant routes (<c>/{tenant}/oauth2/v2.0/authorize|token</c>, <c>/{tenant}/v2.0/.well-known/openid-configuration</c>)
/// beside plain ones (<c>/authorize</c>, <c>/token</c>, <c>/.well-known/openid-configuration</c>).
/// </summary>
/// <remarks>
/// <para>
/// Consent is simulated: the authorization endpoint redirects at once to <c>redirect_uri</c> with a code (or with the
/// error a test asked for), so a client reads <c>Location</c> instead of driving a browser.
/// </para>
/// <para>
/// Clients reach it as <see cref="BaseUri"/> (<c>https://localhost:PORT/</c>) and trust its self-signed
/// <see cref="Certificate"/> only through a handler that pins it (<see cref="CreateHttpMessageHandler"/>).
/// Every knob is safe to turn while requests are in flight.
/// </para>
/// </remarks>
public sealed partial class OAuth2TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Dictionary<string, OAuth2TestClient> _clients;
    private readonly Dictionary<string, OAuth2TestServiceAccount> _serviceAccounts;
    private readonly TimeProvider _time;
    private readonly TimeSpan _codeLifetime;
    private readonly TimeSpan? _refreshTokenLifetime;
    private readonly bool _requirePkce;
    private readonly ECDsa _signingKey;
    private readonly string _signingKeyId;

    // All grant state changes under one lock: test traffic is light, and one lock makes
    // "use a code once" and "rotate a refresh token once" trivially atomic.
    private readonly Lock _gate = new();
    private readonly Dictionary<string, AuthorizationCodeGrant> _codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RefreshTokenGrant> _refreshTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OAuth2IssuedAccessToken> _accessTokens = new(StringComparer.Ordinal);
    private (string Error, string? Description)? _nextAuthorizationError;
    private int _tokenFailuresLeft;
    private (int StatusCode, string Error) _tokenFailure;

    private readonly ConcurrentQueue<OAuth2RecordedRequest> _requests = new();
    private readonly ConcurrentDictionary<string, int> _grantCounts = new(StringComparer.Ordinal);
    private int _totalRequests;
    private int _authorizeRequests;
    private int _tokenRequests;
    private int _discoveryRequests;
    private int _introspectionRequests;

    private long _accessTokenLifetimeTicks;
    private long _tokenDelayTicks;
    private volatile bool _rotateRefreshTokens;
    private volatile OAuth2TestUser _user;
    private volatile string? _discoveryIssuer;

    private OAuth2TestServer(OAuth2TestServerOptions options, X509Certificate2 certificate)
    {
        _clients = options.Clients.ToDictionary(c => c.ClientId, StringComparer.Ordinal);
        _serviceAccounts = options.ServiceAccounts.ToDictionary(a => a.ClientEmail, StringComparer.OrdinalIgnoreCase);
        _time = options.TimeProvider;
        _codeLifetime = options.AuthorizationCodeLifetime;
        _refreshTokenLifetime = options.RefreshTokenLifetime;
        _requirePkce = options.RequirePkce;
        _accessTokenLifetimeTicks = options.AccessTokenLifetime.Ticks;
        _rotateRefreshTokens = options.RotateRefreshTokens;
        _user = options.User;
        TenantId = options.TenantId;
        Certificate = certificate;
        _signingKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _signingKeyId = Convert.ToHexStringLower(SHA256.HashData(_signingKey.ExportSubjectPublicKeyInfo()))[..16];

        _app = LoopbackHttpsApp.Create(certificate, HandleAsync);
    }

    /// <summary>The self-signed certificate the server presents (CN=localhost, SAN localhost and 127.0.0.1).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The OS-chosen port on 127.0.0.1.</summary>
    public int Port { get; private set; }

    /// <summary><c>https://localhost:PORT/</c>: the origin clients use, and so the origin of every issuer.</summary>
    public Uri BaseUri => new($"https://localhost:{Port}/");

    /// <summary>The tenant of <see cref="MicrosoftAuthority"/>.</summary>
    public string TenantId { get; }

    /// <summary>
    /// <c>https://localhost:PORT/{tenant}/</c>: for MSAL's <c>WithAuthority(...)</c> with <c>WithInstanceDiscovery(false)</c>.
    /// MSAL then treats it as an Entra ID (AAD) authority and calls <c>{authority}oauth2/v2.0/authorize|token</c>
    /// without any metadata request.
    /// </summary>
    public string MicrosoftAuthority => $"https://localhost:{Port}/{TenantId}/";

    /// <summary>
    /// <c>https://localhost:PORT/{tenant}/v2.0</c>: for MSAL's <c>WithOidcAuthority(...)</c>. MSAL then reads
    /// <c>{authority}/.well-known/openid-configuration</c> (whose <c>issuer</c> is exactly this value) and uses the
    /// endpoints it names.
    /// </summary>
    public string MicrosoftOidcAuthority => $"https://localhost:{Port}/{TenantId}/v2.0";

    /// <summary>The plain authorization endpoint, <c>https://localhost:PORT/authorize</c>, for Google-style and custom clients.</summary>
    public Uri AuthorizationEndpoint => new(BaseUri, "authorize");

    /// <summary>The plain token endpoint, <c>https://localhost:PORT/token</c>.</summary>
    public Uri TokenEndpoint => new(BaseUri, "token");

    /// <summary>The plain discovery document, whose issuer is <c>https://localhost:PORT</c>.</summary>
    public Uri DiscoveryEndpoint => new(BaseUri, ".well-known/openid-configuration");

    /// <summary><c>/{tenant}/oauth2/v2.0/authorize</c>.</summary>
    public Uri MicrosoftAuthorizationEndpoint => new(BaseUri, $"{TenantId}/oauth2/v2.0/authorize");

    /// <summary><c>/{tenant}/oauth2/v2.0/token</c>.</summary>
    public Uri MicrosoftTokenEndpoint => new(BaseUri, $"{TenantId}/oauth2/v2.0/token");

    /// <summary>The one registered client when there is just one (the default).</summary>
    public OAuth2TestClient Client => _clients.Count == 1
        ? _clients.Values.Single()
        : throw new InvalidOperationException("More than one client is registered; pick one from the options.");

    /// <summary>Starts a server; it answers once this completes (typically within a few tens of milliseconds).</summary>
    public static async Task<OAuth2TestServer> StartAsync(OAuth2TestServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        options ??= new OAuth2TestServerOptions();
        var server = new OAuth2TestServer(options, options.Certificate ?? LoopbackCertificate.Create());
        try
        {
            server.Port = await LoopbackHttpsApp.StartAsync(server._app, cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A handler that trusts only <see cref="Certificate"/> and does not follow redirects.</summary>
    public SocketsHttpHandler CreateHttpMessageHandler() => PinnedCertificate.CreateHandler(Certificate);

    /// <summary>An <see cref="HttpClient"/> over <see cref="CreateHttpMessageHandler"/> with <see cref="BaseUri"/> as its base address.</summary>
    public HttpClient CreateHttpClient() => new(CreateHttpMessageHandler()) { BaseAddress = BaseUri };

    /// <summary>
    /// Plays the browser: GETs <paramref name="authorizationRequest"/> (an authorization URL a client library built),
    /// does not follow the 302, and returns where it pointed.
    /// </summary>
    public async Task<OAuth2AuthorizationResponse> AuthorizeAsync(Uri authorizationRequest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(authorizationRequest);
        using var http = CreateHttpClient();
        using var response = await http.GetAsync(authorizationRequest, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Found || response.Headers.Location is not { } location)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new InvalidOperationException($"The authorization endpoint answered {(int)response.StatusCode} instead of a redirect: {body}");
        }

        return OAuth2AuthorizationResponse.Parse(location);
    }

    // ---- Knobs ---------------------------------------------------------------------------

    /// <summary>The account the next authorizations sign in.</summary>
    public OAuth2TestUser User
    {
        get => _user;
        set => _user = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>The <c>expires_in</c> of access tokens issued from now on (whole seconds).</summary>
    public TimeSpan AccessTokenLifetime
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _accessTokenLifetimeTicks));
        set => Interlocked.Exchange(ref _accessTokenLifetimeTicks, value.Ticks);
    }

    /// <summary>
    /// When <see langword="true"/>, each refresh_token grant answers a new refresh token and the used one stops working
    /// (<c>invalid_grant</c>). When <see langword="false"/>, the answer has no refresh_token (as Google's) and the old one stays valid.
    /// </summary>
    public bool RotateRefreshTokens
    {
        get => _rotateRefreshTokens;
        set => _rotateRefreshTokens = value;
    }

    /// <summary>A pause before every token endpoint answer (real time, cut short when the client gives up).</summary>
    public TimeSpan TokenEndpointDelay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _tokenDelayTicks));
        set => Interlocked.Exchange(ref _tokenDelayTicks, value.Ticks);
    }

    /// <summary>
    /// When set, every discovery document names this <c>issuer</c> instead of the URL it was fetched under,
    /// to see how a client treats a provider whose issuer differs from the configured authority.
    /// </summary>
    public string? DiscoveryIssuer
    {
        get => _discoveryIssuer;
        set => _discoveryIssuer = value;
    }

    /// <summary>The next authorization request redirects back with <c>error</c> (and <c>error_description</c>) instead of a code.</summary>
    public void FailNextAuthorization(string error = "access_denied", string? description = "The user declined to grant access.")
    {
        ArgumentException.ThrowIfNullOrEmpty(error);
        lock (_gate)
        {
            _nextAuthorizationError = (error, description);
        }
    }

    /// <summary>The next <paramref name="count"/> token requests answer <paramref name="statusCode"/> with <c>{"error": error}</c>.</summary>
    public void FailTokenRequests(int count, int statusCode = 500, string error = "server_error")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentException.ThrowIfNullOrEmpty(error);
        lock (_gate)
        {
            _tokenFailuresLeft = count;
            _tokenFailure = (statusCode, error);
        }
    }

    /// <summary>Every refresh token issued so far answers <c>invalid_grant</c> from now on (as after a password change or consent revocation).</summary>
    public void RevokeAllRefreshTokens()
    {
        lock (_gate)
        {
            foreach (var grant in _refreshTokens.Values)
            {
                grant.RevokedBecause ??= "revoked by the administrator";
            }
        }
    }

    /// <summary>Every access token issued so far stops being valid.</summary>
    public void RevokeAllAccessTokens()
    {
        lock (_gate)
        {
            _accessTokens.Clear();
        }
    }

    // ---- What happened -------------------------------------------------------------------

    /// <summary>The access tokens a resource server should accept right now (issued, not revoked, not expired).</summary>
    public IReadOnlyCollection<OAuth2IssuedAccessToken> ValidAccessTokens
    {
        get
        {
            var now = _time.GetUtcNow();
            lock (_gate)
            {
                return [.. _accessTokens.Values.Where(t => t.ExpiresAt > now)];
            }
        }
    }

    /// <summary>Whether a resource server should accept <paramref name="accessToken"/> right now.</summary>
    public bool IsAccessTokenValid(string accessToken) => TryGetValidAccessToken(accessToken, out _);

    /// <summary>Looks <paramref name="accessToken"/> up as a resource server would: who it is for, its scope, its expiry.</summary>
    public bool TryGetValidAccessToken(string accessToken, [NotNullWhen(true)] out OAuth2IssuedAccessToken? issued)
    {
        ArgumentNullException.ThrowIfNull(accessToken);
        lock (_gate)
        {
            if (_accessTokens.TryGetValue(accessToken, out issued) && issued.ExpiresAt > _time.GetUtcNow())
            {
                return true;
            }
        }

        issued = null;
        return false;
    }

    /// <summary>Every request answered, any endpoint or path.</summary>
    public int TotalRequests => Volatile.Read(ref _totalRequests);

    public int AuthorizeRequests => Volatile.Read(ref _authorizeRequests);

    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    public int DiscoveryRequests => Volatile.Read(ref _discoveryRequests);

    /// <summary>Gets how many times the SMTP server asked whether a token is valid.</summary>
    public int IntrospectionRequests => Volatile.Read(ref _introspectionRequests);

    /// <summary>Gets the RFC 7662 introspection endpoint the test SMTP server checks XOAUTH2 tokens with.</summary>
    public Uri IntrospectionEndpoint => new(BaseUri, "introspect");

    /// <summary>Token requests received with this <c>grant_type</c>, answered well or not (see <see cref="OAuth2GrantTypes"/>).</summary>
    public int GetTokenRequestCount(string grantType) => _grantCounts.GetValueOrDefault(grantType);

    /// <summary>Every request in the order answered; each is recorded before its answer is sent.</summary>
    public IReadOnlyList<OAuth2RecordedRequest> Requests => [.. _requests];

    public OAuth2RecordedRequest? LastAuthorizeRequest => Requests.LastOrDefault(r => r.Endpoint == OAuth2Endpoint.Authorize);

    public OAuth2RecordedRequest? LastTokenRequest => Requests.LastOrDefault(r => r.Endpoint == OAuth2Endpoint.Token);

    public async ValueTask DisposeAsync()
    {
        // A request held by a delay (TokenEndpointDelay) is cut after a second.
        await LoopbackHttpsApp.StopAsync(_app);
        _signingKey.Dispose();
        Certificate.Dispose();
    }

    private sealed record AuthorizationCodeGrant(
        string ClientId,
        string RedirectUri,
        string Scope,
        string? CodeChallenge,
        string? CodeChallengeMethod,
        string? Nonce,
        string? Tenant,
        OAuth2TestUser User,
        DateTimeOffset ExpiresAt);

    private sealed class RefreshTokenGrant(string clientId, string scope, string? tenant, OAuth2TestUser user, DateTimeOffset? expiresAt)
    {
        public string ClientId { get; } = clientId;

        public string Scope { get; } = scope;

        public string? Tenant { get; } = tenant;

        public OAuth2TestUser User { get; } = user;

        public DateTimeOffset? ExpiresAt { get; } = expiresAt;

        public string? RevokedBecause { get; set; }
    }
}
