using System.Diagnostics;
using Microsoft.Identity.Client;
using SystemMail.Tests.Infrastructure.OAuth2;

namespace SystemMail.Tests.OAuth2Server;

/// <summary>
/// MSAL.NET (confidential client) against the local server, configured as SystemMail will configure it for Office 365:
/// authorization code with PKCE, silent refresh, client credentials, and a serialized token cache.
/// </summary>
public sealed class MsalAgainstOAuth2TestServerTests
{
    private const string RedirectUri = "https://app.contoso.test/oauth2/callback";
    private static readonly string[] SmtpScopes = ["https://outlook.office365.com/SMTP.Send", "offline_access"];
    private static readonly string[] AppScopes = ["https://outlook.office365.com/.default"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AuthorizationCode_AuthorityWithoutInstanceDiscovery_CallsAuthorizeAndTokenOnly()
    {
        await using var server = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        using var http = new PinnedMsalHttpClientFactory(server.Certificate);
        var app = ConfidentialClientApplicationBuilder.Create(server.Client.ClientId)
            .WithClientSecret(server.Client.ClientSecret)
            .WithAuthority(server.MicrosoftAuthority)
            .WithInstanceDiscovery(false)
            .WithHttpClientFactory(http)
            .WithRedirectUri(RedirectUri)
            .Build();

        var result = await SignInAsync(server, app);

        Dump(server);
        Assert.Equal(
            [(OAuth2Endpoint.Authorize, $"/{server.TenantId}/oauth2/v2.0/authorize"), (OAuth2Endpoint.Token, $"/{server.TenantId}/oauth2/v2.0/token")],
            server.Requests.Select(r => (r.Endpoint, r.PathAndQuery.Split('?')[0])));
        Assert.True(server.IsAccessTokenValid(result.AccessToken));
        Assert.Equal("mailer@contoso.test", result.Account.Username);
        Assert.Equal($"{OAuth2TestUser.Default.ObjectId}.{OAuth2TestUser.Default.TenantId}", result.Account.HomeAccountId.Identifier);

        var authorize = server.LastAuthorizeRequest!;
        Assert.Equal("S256", authorize["code_challenge_method"]);
        Assert.Equal("code", authorize["response_type"]);
        Assert.Equal(["https://outlook.office365.com/SMTP.Send", "offline_access", "openid", "profile"], authorize["scope"]!.Split(' ').Order());
        var token = server.LastTokenRequest!;
        Assert.Equal("authorization_code", token.GrantType);
        Assert.Equal("1", token["client_info"]);
        Assert.Equal("client_secret_post", token.ClientAuthentication);
        Assert.NotNull(token["code_verifier"]);
    }

    [Fact]
    public async Task AuthorizationCode_OidcAuthority_ReadsDiscoveryThenUsesItsEndpoints()
    {
        // A fresh tenant per test: MSAL caches OIDC metadata per authority in a static, process-wide cache.
        await using var server = await OAuth2TestServer.StartAsync(new OAuth2TestServerOptions { TenantId = Guid.NewGuid().ToString() }, Ct);
        using var http = new PinnedMsalHttpClientFactory(server.Certificate);
        var app = ConfidentialClientApplicationBuilder.Create(server.Client.ClientId)
            .WithClientSecret(server.Client.ClientSecret)
            .WithOidcAuthority(server.MicrosoftOidcAuthority)
            .WithHttpClientFactory(http)
            .WithRedirectUri(RedirectUri)
            .Build();

        var result = await SignInAsync(server, app);
        var refreshed = await app.AcquireTokenSilent(SmtpScopes, result.Account).WithForceRefresh(true).ExecuteAsync(Ct);

        Dump(server);
        Assert.Equal(
            [OAuth2Endpoint.Discovery, OAuth2Endpoint.Authorize, OAuth2Endpoint.Token, OAuth2Endpoint.Token],
            server.Requests.Select(r => r.Endpoint));
        Assert.Equal($"/{server.TenantId}/v2.0/.well-known/openid-configuration", server.Requests[0].PathAndQuery);
        Assert.Equal(OAuth2GrantTypes.RefreshToken, server.LastTokenRequest!.GrantType);
        Assert.True(server.IsAccessTokenValid(refreshed.AccessToken));
        Assert.Equal("mailer@contoso.test", result.Account.Username);
    }

    [Theory]
    [InlineData("https://login.contoso.test/{tenant}/v2.0", false)]
    [InlineData("https://localhost:{port}/another-path", true)]
    public async Task AcquireTokenForClient_OidcAuthorityWithOtherIssuer_AcceptedOnlyOnSameHost(string issuer, bool accepted)
    {
        await using var server = await OAuth2TestServer.StartAsync(new OAuth2TestServerOptions { TenantId = Guid.NewGuid().ToString() }, Ct);
        server.DiscoveryIssuer = issuer.Replace("{tenant}", server.TenantId, StringComparison.Ordinal).Replace("{port}", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        using var http = new PinnedMsalHttpClientFactory(server.Certificate);
        var app = ConfidentialClientApplicationBuilder.Create(server.Client.ClientId)
            .WithClientSecret(server.Client.ClientSecret)
            .WithOidcAuthority(server.MicrosoftOidcAuthority)
            .WithHttpClientFactory(http)
            .Build();

        var attempt = await Record.ExceptionAsync(() => app.AcquireTokenForClient(AppScopes).ExecuteAsync(Ct));

        if (accepted)
        {
            Assert.Null(attempt);
        }
        else
        {
            var error = Assert.IsType<MsalServiceException>(attempt);
            Assert.Equal(MsalError.AuthorityValidationFailed, error.ErrorCode);
            Assert.Equal(0, server.TokenRequests);
        }
    }

    [Fact]
    public async Task AcquireTokenSilent_ForceRefresh_SendsRefreshTokenGrantAndRotates()
    {
        await using var server = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        using var http = new PinnedMsalHttpClientFactory(server.Certificate);
        var app = CreateApp(server, http);
        var first = await SignInAsync(server, app);

        var cached = await app.AcquireTokenSilent(SmtpScopes, first.Account).ExecuteAsync(Ct);
        Assert.Equal(0, server.GetTokenRequestCount(OAuth2GrantTypes.RefreshToken));
        Assert.Equal(TokenSource.Cache, cached.AuthenticationResultMetadata.TokenSource);

        var refreshed = await app.AcquireTokenSilent(SmtpScopes, first.Account).WithForceRefresh(true).ExecuteAsync(Ct);
        var again = await app.AcquireTokenSilent(SmtpScopes, first.Account).WithForceRefresh(true).ExecuteAsync(Ct);

        Dump(server);
        Assert.Equal(2, server.GetTokenRequestCount(OAuth2GrantTypes.RefreshToken));
        Assert.Equal(TokenSource.IdentityProvider, refreshed.AuthenticationResultMetadata.TokenSource);
        Assert.NotEqual(first.AccessToken, refreshed.AccessToken);
        Assert.True(server.IsAccessTokenValid(again.AccessToken));
        Assert.Equal("1", server.LastTokenRequest!["client_info"]);

        // The second refresh could only succeed with the rotated refresh token MSAL stored from the first.
        Assert.NotEqual(server.Requests[^2]["refresh_token"], server.Requests[^1]["refresh_token"]);
    }

    [Fact]
    public async Task AcquireTokenSilent_OrganizationsAuthority_RefreshesAtTheHomeTenant()
    {
        await using var server = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        using var http = new PinnedMsalHttpClientFactory(server.Certificate);
        var app = ConfidentialClientApplicationBuilder.Create(server.Client.ClientId)
            .WithClientSecret(server.Client.ClientSecret)
            .WithAuthority($"https://localhost:{server.Port}/organizations/")
            .WithInstanceDiscovery(false)
            .WithHttpClientFactory(http)
            .WithRedirectUri(RedirectUri)
            .Build();

        var first = await SignInAsync(server, app);
        var refreshed = await app.AcquireTokenSilent(SmtpScopes, first.Account).WithForceRefresh(true).ExecuteAsync(Ct);

        Dump(server);
        Assert.Equal(
            ["/organizations/oauth2/v2.0/authorize", "/organizations/oauth2/v2.0/token", $"/{OAuth2TestUser.Default.TenantId}/oauth2/v2.0/token"],
            server.Requests.Select(r => r.PathAndQuery.Split('?')[0]));
        Assert.True(server.IsAccessTokenValid(refreshed.AccessToken));
    }

    [Fact]
    public async Task AcquireTokenSilent_ShortLivedAccessToken_RefreshesWithoutForce()
    {
        await using var server = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        using var http = new PinnedMsalHttpClientFactory(server.Certificate);
        var app = CreateApp(server, http);

        // MSAL treats an access token that expires within five minutes as already expired.
        server.AccessTokenLifetime = TimeSpan.FromMinutes(4);
        var first = await SignInAsync(server, app);
        var silent = await app.AcquireTokenSilent(SmtpScopes, first.Account).ExecuteAsync(Ct);

        Assert.Equal(1, server.GetTokenRequestCount(OAuth2GrantTypes.RefreshToken));
        Assert.Equal(TokenSource.IdentityProvider, silent.AuthenticationResultMetadata.TokenSource);
    }

    [Fact]
    public async Task AcquireTokenSilent_RefreshTokensRevoked_MsalUiRequiredInvalidGrant()
    {
        await using var server = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        using var http = new PinnedMsalHttpClientFactory(server.Certificate);
        var app = CreateApp(server, http);
        var first = await SignInAsync(server, app);

        server.RevokeAllRefreshTokens();
        var error = await Assert.ThrowsAsync<MsalUiRequiredException>(
            () => app.AcquireTokenSilent(SmtpScopes, first.Account).WithForceRefresh(true).ExecuteAsync(Ct));

        Assert.Equal("invalid_grant", error.ErrorCode);
        Assert.Equal(400, error.StatusCode);
        Assert.Contains("revoked", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcquireTokenByAuthorizationCode_WrongVerifier_MsalUiRequiredInvalidGrant()
    {
        await using var server = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        using var http = new PinnedMsalHttpClientFactory(server.Certificate);
        var app = CreateApp(server, http);
        var url = await app.GetAuthorizationRequestUrl(SmtpScopes).WithPkce(out _).ExecuteAsync(Ct);
        var code = (await server.AuthorizeAsync(url, Ct)).Code!;

        var error = await Assert.ThrowsAsync<MsalUiRequiredException>(
            () => app.AcquireTokenByAuthorizationCode(SmtpScopes, code).WithPkceCodeVerifier(Pkce.CreateVerifier()).ExecuteAsync(Ct));

        Assert.Equal("invalid_grant", error.ErrorCode);
    }

    [Fact]
    public async Task AcquireTokenForClient_DefaultScope_ClientCredentialsThenCache()
    {
        await using var server = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        using var http = new PinnedMsalHttpClientFactory(server.Certificate);
        var app = CreateApp(server, http);

        var first = await app.AcquireTokenForClient(AppScopes).ExecuteAsync(Ct);
        var second = await app.AcquireTokenForClient(AppScopes).ExecuteAsync(Ct);

        Dump(server);
        Assert.Equal(1, server.GetTokenRequestCount(OAuth2GrantTypes.ClientCredentials));
        Assert.Equal("https://outlook.office365.com/.default", server.LastTokenRequest!["scope"]);
        Assert.Equal(TokenSource.Cache, second.AuthenticationResultMetadata.TokenSource);
        Assert.True(server.TryGetValidAccessToken(first.AccessToken, out var issued));
        Assert.Null(issued.Username);
    }

    [Fact]
    public async Task AcquireTokenForClient_OneServerError_MsalRetriesOnceAfterASecond()
    {
        await using var server = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        using var http = new PinnedMsalHttpClientFactory(server.Certificate);
        var app = CreateApp(server, http);
        server.FailTokenRequests(1);

        var watch = Stopwatch.StartNew();
        var result = await app.AcquireTokenForClient(AppScopes).ExecuteAsync(Ct);

        Assert.Equal(2, server.GetTokenRequestCount(OAuth2GrantTypes.ClientCredentials));
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.9), $"retried after {watch.Elapsed}");
        Assert.True(server.IsAccessTokenValid(result.AccessToken));
    }

    [Fact]
    public async Task AcquireTokenForClient_ServerErrorWithRetryOff_MsalServiceExceptionAtOnce()
    {
        await using var server = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        using var http = new PinnedMsalHttpClientFactory(server.Certificate);
        var app = ConfidentialClientApplicationBuilder.Create(server.Client.ClientId)
            .WithClientSecret(server.Client.ClientSecret)
            .WithAuthority(server.MicrosoftAuthority)
            .WithInstanceDiscovery(false)
            .WithHttpClientFactory(http, retryOnceOn5xx: false)
            .Build();
        server.FailTokenRequests(1, statusCode: 503, error: "temporarily_unavailable");

        var error = await Assert.ThrowsAsync<MsalServiceException>(() => app.AcquireTokenForClient(AppScopes).ExecuteAsync(Ct));

        // MSAL reports every 5xx as its own service_not_available, whatever "error" the body names.
        Assert.Equal(503, error.StatusCode);
        Assert.Equal(MsalError.ServiceNotAvailable, error.ErrorCode);
        Assert.Equal(1, server.GetTokenRequestCount(OAuth2GrantTypes.ClientCredentials));
    }

    [Fact]
    public async Task UserTokenCache_SerializedBytes_NewAppInstanceRefreshesWithoutAuthorizationCode()
    {
        await using var server = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        using var http = new PinnedMsalHttpClientFactory(server.Certificate);
        byte[]? persisted = null; // stands in for the host's token store

        void Persist(ITokenCache cache)
        {
            cache.SetBeforeAccess(args => args.TokenCache.DeserializeMsalV3(persisted));
            cache.SetAfterAccess(args =>
            {
                if (args.HasStateChanged)
                {
                    persisted = args.TokenCache.SerializeMsalV3();
                }
            });
        }

        var before = CreateApp(server, http);
        Persist(before.UserTokenCache);
        var signedIn = await SignInAsync(server, before);
        var accountId = signedIn.Account.HomeAccountId.Identifier; // the host keeps this beside the bytes
        Assert.NotNull(persisted);

        // "Restart": a new application object with nothing in memory but the persisted bytes.
        var after = CreateApp(server, http);
        Persist(after.UserTokenCache);
        var account = await after.GetAccountAsync(accountId);
        Assert.NotNull(account);
        var refreshed = await after.AcquireTokenSilent(SmtpScopes, account).WithForceRefresh(true).ExecuteAsync(Ct);

        Assert.Equal(signedIn.Account.HomeAccountId, account.HomeAccountId);
        Assert.Equal(1, server.GetTokenRequestCount(OAuth2GrantTypes.AuthorizationCode));
        Assert.Equal(1, server.GetTokenRequestCount(OAuth2GrantTypes.RefreshToken));
        Assert.Equal(1, server.AuthorizeRequests);
        Assert.True(server.IsAccessTokenValid(refreshed.AccessToken));
    }

    private static IConfidentialClientApplication CreateApp(OAuth2TestServer server, PinnedMsalHttpClientFactory http) =>
        ConfidentialClientApplicationBuilder.Create(server.Client.ClientId)
            .WithClientSecret(server.Client.ClientSecret)
            .WithAuthority(server.MicrosoftAuthority)
            .WithInstanceDiscovery(false)
            .WithHttpClientFactory(http)
            .WithRedirectUri(RedirectUri)
            .Build();

    /// <summary>The web-app sign-in: MSAL builds the URL, the "browser" follows it, MSAL redeems the code.</summary>
    private static async Task<AuthenticationResult> SignInAsync(OAuth2TestServer server, IConfidentialClientApplication app)
    {
        // GetAuthorizationRequestUrl adds no state of its own: the web app supplies (and later checks) it.
        var state = Guid.NewGuid().ToString("N");
        var url = await app.GetAuthorizationRequestUrl(SmtpScopes)
            .WithPkce(out var verifier)
            .WithExtraQueryParameters(new Dictionary<string, (string Value, bool IncludeInCacheKey)> { ["state"] = (state, false) })
            .ExecuteAsync(Ct);
        var answer = await server.AuthorizeAsync(url, Ct);
        Assert.Null(answer.Error);
        Assert.Equal(state, answer.State);
        return await app.AcquireTokenByAuthorizationCode(SmtpScopes, answer.Code).WithPkceCodeVerifier(verifier).ExecuteAsync(Ct);
    }

    private static void Dump(OAuth2TestServer server)
    {
        foreach (var r in server.Requests)
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"{r.StatusCode} {r.Method} {r.PathAndQuery} {string.Join('&', r.Method == "POST" ? r.Parameters.Select(p => $"{p.Key}={p.Value}") : [])}");
        }
    }
}
