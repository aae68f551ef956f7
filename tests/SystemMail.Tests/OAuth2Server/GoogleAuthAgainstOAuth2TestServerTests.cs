using System.Net;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Flows;
using Google.Apis.Auth.OAuth2.Responses;
using Google.Apis.Http;
using Google.Apis.Util;
using Microsoft.AspNetCore.WebUtilities;
using SystemMail.Tests.Infrastructure.OAuth2;

namespace SystemMail.Tests.OAuth2Server;

/// <summary>
/// Google.Apis.Auth against the local server: the generic <see cref="AuthorizationCodeFlow"/>, the same with PKCE
/// (<see cref="PkceAuthorizationCodeFlow"/>), <see cref="PkceGoogleAuthorizationCodeFlow"/> pointed at local endpoints,
/// and <see cref="UserCredential"/> refreshing.
/// </summary>
public sealed class GoogleAuthAgainstOAuth2TestServerTests
{
    private const string RedirectUri = "http://127.0.0.1:53682/oauth2/callback";
    private const string UserId = "mailbox-1";
    private static readonly string[] GmailScopes = ["https://mail.google.com/"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AuthorizationCodeFlow_Generic_ExchangesRefreshesAndStores()
    {
        await using var server = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        var store = new InMemoryDataStore();
        using var flow = CreateGenericFlow(server, store);

        // Provider-specific parameters (Google's access_type, prompt) go onto the built URI.
        var request = flow.CreateAuthorizationCodeRequest(RedirectUri);
        request.State = "st-1";
        var url = QueryHelpers.AddQueryString(request.Build().AbsoluteUri, new Dictionary<string, string?> { ["access_type"] = "offline", ["prompt"] = "consent" });
        var answer = await server.AuthorizeAsync(new Uri(url), Ct);
        var token = await flow.ExchangeCodeForTokenAsync(UserId, answer.Code, RedirectUri, Ct);

        Assert.Equal("st-1", answer.State);
        var authorize = server.LastAuthorizeRequest!;
        Assert.Equal(("offline", "consent", "https://mail.google.com/", "code"), (authorize["access_type"], authorize["prompt"], authorize["scope"], authorize["response_type"]));
        var exchange = server.LastTokenRequest!;
        Assert.Equal(("client_secret_post", RedirectUri), (exchange.ClientAuthentication, exchange["redirect_uri"]));
        Assert.Equal("https://mail.google.com/", exchange["scope"]);
        Assert.True(server.IsAccessTokenValid(token.AccessToken));
        Assert.Equal(token.AccessToken, (await flow.LoadTokenAsync(UserId, Ct)).AccessToken);
        Assert.Single(store.Items, item => item.Key == "Google.Apis.Auth.OAuth2.Responses.TokenResponse-" + UserId);

        var refreshed = await flow.RefreshTokenAsync(UserId, token.RefreshToken, Ct);

        Assert.Equal(1, server.GetTokenRequestCount(OAuth2GrantTypes.RefreshToken));
        Assert.NotEqual(token.RefreshToken, refreshed.RefreshToken); // rotated by the server
        Assert.Equal(refreshed.RefreshToken, (await flow.LoadTokenAsync(UserId, Ct)).RefreshToken);
        var reuse = await Assert.ThrowsAsync<TokenResponseException>(() => flow.RefreshTokenAsync(UserId, token.RefreshToken, Ct));
        Assert.Equal("invalid_grant", reuse.Error.Error);
    }

    [Fact]
    public async Task PkceAuthorizationCodeFlow_GenericEndpoints_SendsChallengeAndVerifier()
    {
        await using var server = await OAuth2TestServer.StartAsync(new OAuth2TestServerOptions { RequirePkce = true }, Ct);
        using var flow = new PkceAuthorizationCodeFlow(CreateInitializer(server, new InMemoryDataStore()));

        var url = flow.CreateAuthorizationCodeRequest(RedirectUri, out var verifier).Build();
        var code = (await server.AuthorizeAsync(url, Ct)).Code!;
        var token = await flow.ExchangeCodeForTokenAsync(UserId, code, verifier, RedirectUri, Ct);

        Assert.Equal(("S256", Pkce.CreateS256Challenge(verifier)), (server.LastAuthorizeRequest!["code_challenge_method"], server.LastAuthorizeRequest["code_challenge"]));
        Assert.Equal(verifier, server.LastTokenRequest!["code_verifier"]);
        Assert.True(server.IsAccessTokenValid(token.AccessToken));
    }

    [Fact]
    public async Task AuthorizationCodeFlow_ExchangeWithoutVerifier_InvalidGrant()
    {
        await using var server = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        using var flow = CreateGenericFlow(server, new InMemoryDataStore());
        var url = QueryHelpers.AddQueryString(flow.CreateAuthorizationCodeRequest(RedirectUri).Build().AbsoluteUri, new Dictionary<string, string?>
        {
            ["code_challenge"] = Pkce.CreateS256Challenge(Pkce.CreateVerifier()),
            ["code_challenge_method"] = "S256",
        });
        var code = (await server.AuthorizeAsync(new Uri(url), Ct)).Code!;

        // The four-argument overload sends no code_verifier.
        var error = await Assert.ThrowsAsync<TokenResponseException>(() => flow.ExchangeCodeForTokenAsync(UserId, code, RedirectUri, Ct));

        Assert.Equal("invalid_grant", error.Error.Error);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
    }

    [Fact]
    public async Task PkceGoogleAuthorizationCodeFlow_LocalEndpoints_PkceOfflineAndNoRotation()
    {
        await using var server = await OAuth2TestServer.StartAsync(new OAuth2TestServerOptions { RotateRefreshTokens = false }, Ct);
        var store = new InMemoryDataStore();
        using var flow = new PkceGoogleAuthorizationCodeFlow(new GoogleFlowInitializerWithEndpoints(
            server.AuthorizationEndpoint.AbsoluteUri,
            server.TokenEndpoint.AbsoluteUri,
            new Uri(server.BaseUri, "revoke").AbsoluteUri)
        {
            ClientSecrets = new ClientSecrets { ClientId = server.Client.ClientId, ClientSecret = server.Client.ClientSecret },
            Scopes = GmailScopes,
            DataStore = store,
            HttpClientFactory = new PinnedGoogleHttpClientFactory(server.Certificate),
            Prompt = "consent",
            LoginHint = "mailer@contoso.test",
        });

        var url = flow.CreateAuthorizationCodeRequest(RedirectUri, out var verifier).Build();
        var code = (await server.AuthorizeAsync(url, Ct)).Code!;
        var token = await flow.ExchangeCodeForTokenAsync(UserId, code, verifier, RedirectUri, Ct);
        var refreshed = await flow.RefreshTokenAsync(UserId, token.RefreshToken, Ct);

        var authorize = server.LastAuthorizeRequest!;
        Assert.Equal(("S256", "offline", "consent", "mailer@contoso.test"), (authorize["code_challenge_method"], authorize["access_type"], authorize["prompt"], authorize["login_hint"]));
        Assert.Equal(verifier, server.Requests.Single(r => r.GrantType == OAuth2GrantTypes.AuthorizationCode)["code_verifier"]);
        Assert.Equal(128, verifier.Length);

        // Google answers a refresh without refresh_token; the flow keeps the one it had.
        Assert.False(server.LastTokenRequest!.Parameters.ContainsKey("code_verifier"));
        Assert.Equal(token.RefreshToken, refreshed.RefreshToken);
        Assert.NotEqual(token.AccessToken, refreshed.AccessToken);
        Assert.True(server.IsAccessTokenValid(refreshed.AccessToken));
    }

    [Fact]
    public async Task UserCredential_AccessTokenExpired_RefreshesOnNextUse()
    {
        await using var server = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        var clock = new ManualClock(DateTime.UtcNow);
        var store = new InMemoryDataStore();
        using var flow = CreateGenericFlow(server, store, clock);
        var token = await SignInAsync(server, flow);
        var credential = new UserCredential(flow, UserId, token);

        var fresh = await credential.GetAccessTokenForRequestAsync(cancellationToken: Ct);
        Assert.Equal(token.AccessToken, fresh);
        Assert.Equal(0, server.GetTokenRequestCount(OAuth2GrantTypes.RefreshToken));

        clock.UtcNow = clock.UtcNow.AddSeconds(token.ExpiresInSeconds!.Value + 1);
        var renewed = await credential.GetAccessTokenForRequestAsync(cancellationToken: Ct);

        Assert.NotEqual(token.AccessToken, renewed);
        Assert.Equal(1, server.GetTokenRequestCount(OAuth2GrantTypes.RefreshToken));
        Assert.True(server.IsAccessTokenValid(renewed));
        Assert.Equal(renewed, (await flow.LoadTokenAsync(UserId, Ct)).AccessToken);
    }

    [Fact]
    public async Task UserCredential_RefreshTokenRevoked_InvalidGrantAndStoredTokenDeleted()
    {
        await using var server = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        var store = new InMemoryDataStore();
        using var flow = CreateGenericFlow(server, store);
        var credential = new UserCredential(flow, UserId, await SignInAsync(server, flow));
        Assert.NotEmpty(store.Items);

        server.RevokeAllRefreshTokens();
        var error = await Assert.ThrowsAsync<TokenResponseException>(() => credential.RefreshTokenAsync(Ct));

        Assert.Equal("invalid_grant", error.Error.Error);
        Assert.Contains("revoked", error.Error.ErrorDescription, StringComparison.Ordinal);

        // The flow drops its stored token on any non-5xx token error.
        Assert.Empty(store.Items);
    }

    [Fact]
    public async Task RefreshTokenAsync_OneServerError_DefaultBackOffRetries()
    {
        await using var server = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        using var flow = CreateGenericFlow(server, new InMemoryDataStore());
        var token = await SignInAsync(server, flow);
        server.FailTokenRequests(1, statusCode: 500);

        // Google.Apis 1.78's default back-off retries any 5xx, first after about 0.5 to 1.5 s.
        var refreshed = await flow.RefreshTokenAsync(UserId, token.RefreshToken, Ct);

        Assert.Equal(2, server.GetTokenRequestCount(OAuth2GrantTypes.RefreshToken));
        Assert.True(server.IsAccessTokenValid(refreshed.AccessToken));
    }

    [Fact]
    public async Task RefreshTokenAsync_ServerErrorWithBackOffOff_TokenResponseExceptionAndStoredTokenKept()
    {
        await using var server = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        var initializer = CreateInitializer(server, new InMemoryDataStore());
        initializer.DefaultExponentialBackOffPolicy = ExponentialBackOffPolicy.None;
        using var flow = new AuthorizationCodeFlow(initializer);
        var token = await SignInAsync(server, flow);

        server.FailTokenRequests(1, statusCode: 500);
        var error = await Assert.ThrowsAsync<TokenResponseException>(() => flow.RefreshTokenAsync(UserId, token.RefreshToken, Ct));

        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Equal("server_error", error.Error.Error);
        Assert.Equal(1, server.GetTokenRequestCount(OAuth2GrantTypes.RefreshToken));

        // Unlike a 4xx, a 5xx leaves the stored token alone.
        Assert.Equal(token.RefreshToken, (await flow.LoadTokenAsync(UserId, Ct)).RefreshToken);
    }

    private static AuthorizationCodeFlow CreateGenericFlow(OAuth2TestServer server, InMemoryDataStore store, IClock? clock = null) =>
        new(CreateInitializer(server, store, clock));

    private static AuthorizationCodeFlow.Initializer CreateInitializer(OAuth2TestServer server, InMemoryDataStore store, IClock? clock = null)
    {
        var initializer = new AuthorizationCodeFlow.Initializer(server.AuthorizationEndpoint.AbsoluteUri, server.TokenEndpoint.AbsoluteUri)
        {
            ClientSecrets = new ClientSecrets { ClientId = server.Client.ClientId, ClientSecret = server.Client.ClientSecret },
            Scopes = GmailScopes,
            DataStore = store,
            HttpClientFactory = new PinnedGoogleHttpClientFactory(server.Certificate),
        };
        if (clock is not null)
        {
            initializer.Clock = clock;
        }

        return initializer;
    }

    private static async Task<TokenResponse> SignInAsync(OAuth2TestServer server, AuthorizationCodeFlow flow)
    {
        var code = (await server.AuthorizeAsync(flow.CreateAuthorizationCodeRequest(RedirectUri).Build(), Ct)).Code!;
        return await flow.ExchangeCodeForTokenAsync(UserId, code, RedirectUri, Ct);
    }

    private sealed class ManualClock(DateTime utcNow) : IClock
    {
        public DateTime UtcNow { get; set; } = utcNow;

        public DateTime Now => UtcNow.ToLocalTime();
    }
}
