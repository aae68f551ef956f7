using System.Buffers.Text;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Time.Testing;
using SystemMail.Tests.Infrastructure.OAuth2;

namespace SystemMail.Tests.OAuth2Server;

/// <summary>The server spoken to with nothing but <see cref="HttpClient"/>, redirects read by hand.</summary>
public sealed class OAuth2TestServerTests
{
    private const string RedirectUri = "https://app.contoso.test/oauth2/callback";
    private const string SmtpScope = "https://outlook.office365.com/SMTP.Send offline_access";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StartAsync_Default_ServesHttpsOnLoopbackWithinASecond()
    {
        var watch = Stopwatch.StartNew();
        await using var server = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        watch.Stop();

        TestContext.Current.TestOutputHelper?.WriteLine($"started in {watch.Elapsed.TotalMilliseconds:F1} ms");
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        Assert.NotEqual(0, server.Port);
        Assert.Equal($"https://localhost:{server.Port}/", server.BaseUri.AbsoluteUri);
        var san = server.Certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Contains("localhost", san.EnumerateDnsNames());
        Assert.Contains(IPAddress.Loopback, san.EnumerateIPAddresses());

        using var http = server.CreateHttpClient();
        using var response = await http.GetAsync(new Uri("https://127.0.0.1:" + server.Port + "/.well-known/openid-configuration"), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task HttpClient_PinnedToAnotherCertificate_RefusesTheServer()
    {
        await using var server = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        using var stranger = LoopbackCertificate.Create();
        using var http = new HttpClient(PinnedCertificate.CreateHandler(stranger));

        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(server.DiscoveryEndpoint, Ct));
    }

    [Theory]
    [InlineData("{tenant}/v2.0/.well-known/openid-configuration", "{tenant}/v2.0", "{tenant}/oauth2/v2.0/token")]
    [InlineData("{tenant}/.well-known/openid-configuration", "{tenant}", "{tenant}/oauth2/v2.0/token")]
    [InlineData(".well-known/openid-configuration", "", "token")]
    public async Task Discovery_AnyPrefix_IssuerIsThatPrefix(string path, string issuerPath, string tokenPath)
    {
        await using var server = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        using var http = server.CreateHttpClient();

        var json = await GetJsonAsync(http, path.Replace("{tenant}", server.TenantId, StringComparison.Ordinal));

        var origin = $"https://localhost:{server.Port}";
        Assert.Equal((origin + "/" + issuerPath.Replace("{tenant}", server.TenantId, StringComparison.Ordinal)).TrimEnd('/'), json.GetProperty("issuer").GetString());
        Assert.Equal(origin + "/" + tokenPath.Replace("{tenant}", server.TenantId, StringComparison.Ordinal), json.GetProperty("token_endpoint").GetString());
        Assert.Contains("S256", json.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(1, server.DiscoveryRequests);
    }

    [Fact]
    public async Task AuthorizationCode_PlainHttpClient_CodeRefreshRotationAndClientCredentials()
    {
        await using var server = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        using var http = server.CreateHttpClient();
        var verifier = Pkce.CreateVerifier();

        // Authorize: the simulated consent answers 302 at once; read Location rather than follow it.
        var authorize = QueryHelpers.AddQueryString(server.MicrosoftAuthorizationEndpoint.AbsoluteUri, new Dictionary<string, string?>
        {
            ["client_id"] = server.Client.ClientId,
            ["redirect_uri"] = RedirectUri,
            ["response_type"] = "code",
            ["scope"] = "openid " + SmtpScope,
            ["state"] = "state-123",
            ["code_challenge"] = Pkce.CreateS256Challenge(verifier),
            ["code_challenge_method"] = "S256",
            ["prompt"] = "consent",
        });
        using var redirect = await http.GetAsync(new Uri(authorize), Ct);
        Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);
        var location = redirect.Headers.Location!;
        Assert.StartsWith(RedirectUri + "?", location.AbsoluteUri, StringComparison.Ordinal);
        var answer = OAuth2AuthorizationResponse.Parse(location);
        Assert.Equal("state-123", answer.State);
        Assert.NotNull(answer.Code);
        Assert.Equal("consent", server.LastAuthorizeRequest!["prompt"]);
        Assert.Equal(server.TenantId, server.LastAuthorizeRequest.Tenant);

        // Exchange the code with the verifier.
        var tokens = await PostTokenAsync(http, server.MicrosoftTokenEndpoint, new()
        {
            ["grant_type"] = "authorization_code",
            ["code"] = answer.Code!,
            ["redirect_uri"] = RedirectUri,
            ["code_verifier"] = verifier,
            ["client_id"] = server.Client.ClientId,
            ["client_secret"] = server.Client.ClientSecret,
            ["client_info"] = "1",
        });
        Assert.Equal(HttpStatusCode.OK, tokens.Status);
        Assert.Equal("Bearer", tokens.Json.GetProperty("token_type").GetString());
        Assert.Equal(3600, tokens.Json.GetProperty("expires_in").GetInt32());
        Assert.Equal("openid " + SmtpScope, tokens.Json.GetProperty("scope").GetString());
        var accessToken = tokens.Json.GetProperty("access_token").GetString()!;
        var refreshToken = tokens.Json.GetProperty("refresh_token").GetString()!;
        Assert.True(server.TryGetValidAccessToken(accessToken, out var issued));
        Assert.Equal("mailer@contoso.test", issued.Username);
        var clientInfo = JsonDocument.Parse(Base64Url.DecodeFromChars(tokens.Json.GetProperty("client_info").GetString()!)).RootElement;
        Assert.Equal(OAuth2TestUser.Default.ObjectId, clientInfo.GetProperty("uid").GetString());
        Assert.Equal(OAuth2TestUser.Default.TenantId, clientInfo.GetProperty("utid").GetString());
        Assert.Equal("client_secret_post", server.LastTokenRequest!.ClientAuthentication);

        // Refresh: a new refresh token comes back and the used one is dead.
        var refreshed = await PostTokenAsync(http, server.MicrosoftTokenEndpoint, RefreshForm(server, refreshToken));
        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        var rotated = refreshed.Json.GetProperty("refresh_token").GetString()!;
        Assert.NotEqual(refreshToken, rotated);
        Assert.NotEqual(accessToken, refreshed.Json.GetProperty("access_token").GetString());

        var reused = await PostTokenAsync(http, server.MicrosoftTokenEndpoint, RefreshForm(server, refreshToken));
        Assert.Equal(HttpStatusCode.BadRequest, reused.Status);
        Assert.Equal("invalid_grant", reused.Json.GetProperty("error").GetString());
        Assert.Contains("rotated", reused.Json.GetProperty("error_description").GetString(), StringComparison.Ordinal);

        // Client credentials, app-only: no refresh token, no user.
        var app = await PostTokenAsync(http, server.MicrosoftTokenEndpoint, new()
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = "https://outlook.office365.com/.default",
            ["client_id"] = server.Client.ClientId,
            ["client_secret"] = server.Client.ClientSecret,
        });
        Assert.Equal(HttpStatusCode.OK, app.Status);
        Assert.False(app.Json.TryGetProperty("refresh_token", out _));
        Assert.True(server.TryGetValidAccessToken(app.Json.GetProperty("access_token").GetString()!, out var appToken));
        Assert.Null(appToken.Username);

        Assert.Equal(1, server.GetTokenRequestCount(OAuth2GrantTypes.AuthorizationCode));
        Assert.Equal(2, server.GetTokenRequestCount(OAuth2GrantTypes.RefreshToken));
        Assert.Equal(1, server.GetTokenRequestCount(OAuth2GrantTypes.ClientCredentials));
        Assert.Equal(4, server.TokenRequests);
        Assert.Equal(5, server.TotalRequests);
    }

    [Fact]
    public async Task Token_WrongCodeVerifier_InvalidGrantAndCodeIsSpent()
    {
        await using var server = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        using var http = server.CreateHttpClient();
        var verifier = Pkce.CreateVerifier();
        var code = await AuthorizeAsync(server, Pkce.CreateS256Challenge(verifier));

        var wrong = await PostTokenAsync(http, server.TokenEndpoint, CodeForm(server, code, Pkce.CreateVerifier()));
        var retried = await PostTokenAsync(http, server.TokenEndpoint, CodeForm(server, code, verifier));

        Assert.Equal(HttpStatusCode.BadRequest, wrong.Status);
        Assert.Equal("invalid_grant", wrong.Json.GetProperty("error").GetString());
        Assert.Contains("PKCE", wrong.Json.GetProperty("error_description").GetString(), StringComparison.Ordinal);
        Assert.Equal("invalid_grant", retried.Json.GetProperty("error").GetString());
        Assert.Empty(server.ValidAccessTokens);
    }

    [Fact]
    public async Task Token_MissingCodeVerifier_InvalidGrant()
    {
        await using var server = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        using var http = server.CreateHttpClient();
        var code = await AuthorizeAsync(server, Pkce.CreateS256Challenge(Pkce.CreateVerifier()));

        var result = await PostTokenAsync(http, server.TokenEndpoint, CodeForm(server, code, verifier: null));

        Assert.Equal("invalid_grant", result.Json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Token_CodeUsedTwice_SecondIsInvalidGrant()
    {
        await using var server = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        using var http = server.CreateHttpClient();
        var code = await AuthorizeAsync(server, challenge: null);

        var first = await PostTokenAsync(http, server.TokenEndpoint, CodeForm(server, code, verifier: null));
        var second = await PostTokenAsync(http, server.TokenEndpoint, CodeForm(server, code, verifier: null));

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.BadRequest, second.Status);
        Assert.Equal("invalid_grant", second.Json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Token_RedirectUriDiffers_InvalidGrant()
    {
        await using var server = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        using var http = server.CreateHttpClient();
        var code = await AuthorizeAsync(server, challenge: null);
        var form = CodeForm(server, code, verifier: null);
        form["redirect_uri"] = RedirectUri + "/other";

        var result = await PostTokenAsync(http, server.TokenEndpoint, form);

        Assert.Equal("invalid_grant", result.Json.GetProperty("error").GetString());
        Assert.Contains("redirect_uri", result.Json.GetProperty("error_description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_BasicClientAuthentication_Accepted()
    {
        await using var server = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        using var http = server.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, server.TokenEndpoint)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "custom.send" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(server.Client.ClientId)}:{Uri.EscapeDataString(server.Client.ClientSecret)}")));

        using var response = await http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("client_secret_basic", server.LastTokenRequest!.ClientAuthentication);
    }

    [Fact]
    public async Task Token_WrongClientSecret_401InvalidClient()
    {
        await using var server = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        using var http = server.CreateHttpClient();

        var result = await PostTokenAsync(http, server.TokenEndpoint, new()
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = server.Client.ClientId,
            ["client_secret"] = "not-the-secret",
        });

        Assert.Equal(HttpStatusCode.Unauthorized, result.Status);
        Assert.Equal("invalid_client", result.Json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Token_UnknownGrantType_UnsupportedGrantType()
    {
        await using var server = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        using var http = server.CreateHttpClient();
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["client_id"] = server.Client.ClientId,
            ["client_secret"] = server.Client.ClientSecret,
        };

        var result = await PostTokenAsync(http, server.TokenEndpoint, form);

        Assert.Equal("unsupported_grant_type", result.Json.GetProperty("error").GetString());
        Assert.Equal(1, server.GetTokenRequestCount("password"));
    }

    [Fact]
    public async Task Authorize_FailNextAuthorization_RedirectsWithErrorOnceThenWithCode()
    {
        await using var server = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        server.FailNextAuthorization("access_denied", "The user said no.");

        var denied = await server.AuthorizeAsync(AuthorizeUri(server, challenge: null, state: "s1"), Ct);
        var granted = await server.AuthorizeAsync(AuthorizeUri(server, challenge: null, state: "s2"), Ct);

        Assert.Equal(("access_denied", "The user said no.", "s1"), (denied.Error, denied.ErrorDescription, denied.State));
        Assert.Null(denied.Code);
        Assert.NotNull(granted.Code);
        Assert.Equal("access_denied", server.Requests[0].Error);
    }

    [Fact]
    public async Task Authorize_RequirePkceWithoutChallenge_InvalidRequest()
    {
        await using var server = await OAuth2TestServer.StartAsync(new OAuth2TestServerOptions { RequirePkce = true }, Ct);

        var answer = await server.AuthorizeAsync(AuthorizeUri(server, challenge: null), Ct);

        Assert.Equal("invalid_request", answer.Error);
        Assert.Null(answer.Code);
    }

    [Fact]
    public async Task Authorize_UnknownClient_400WithoutRedirect()
    {
        await using var server = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        using var http = server.CreateHttpClient();

        using var response = await http.GetAsync(new Uri(server.AuthorizationEndpoint + "?client_id=nobody&redirect_uri=https%3A%2F%2Fevil.test%2F&response_type=code"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Token_FailTokenRequests_AnswersInjectedStatusThenRecovers()
    {
        await using var server = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        using var http = server.CreateHttpClient();
        server.FailTokenRequests(2, statusCode: 503, error: "temporarily_unavailable");

        var first = await PostTokenAsync(http, server.TokenEndpoint, ClientCredentialsForm(server));
        var second = await PostTokenAsync(http, server.TokenEndpoint, ClientCredentialsForm(server));
        var third = await PostTokenAsync(http, server.TokenEndpoint, ClientCredentialsForm(server));

        Assert.Equal([HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK], [first.Status, second.Status, third.Status]);
        Assert.Equal("temporarily_unavailable", first.Json.GetProperty("error").GetString());
        Assert.Equal(3, server.GetTokenRequestCount(OAuth2GrantTypes.ClientCredentials));
    }

    [Fact]
    public async Task Token_TokenEndpointDelay_DelaysEachAnswer()
    {
        await using var server = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        using var http = server.CreateHttpClient();
        server.TokenEndpointDelay = TimeSpan.FromMilliseconds(300);

        var watch = Stopwatch.StartNew();
        var result = await PostTokenAsync(http, server.TokenEndpoint, ClientCredentialsForm(server));
        watch.Stop();

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(290), $"answered after {watch.Elapsed}");
    }

    [Fact]
    public async Task Token_DelayLongerThanClientTimeout_ClientTimesOutAndServerStopsPromptly()
    {
        var server = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        using var http = server.CreateHttpClient();
        http.Timeout = TimeSpan.FromMilliseconds(200);
        server.TokenEndpointDelay = TimeSpan.FromSeconds(30);

        await Assert.ThrowsAsync<TaskCanceledException>(() => PostTokenAsync(http, server.TokenEndpoint, ClientCredentialsForm(server)));

        var watch = Stopwatch.StartNew();
        await server.DisposeAsync();
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(1.5));
    }

    [Fact]
    public async Task RevokeAllRefreshTokens_ThenRefresh_InvalidGrant()
    {
        await using var server = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        using var http = server.CreateHttpClient();
        var tokens = await PostTokenAsync(http, server.TokenEndpoint, CodeForm(server, await AuthorizeAsync(server, challenge: null), verifier: null));

        server.RevokeAllRefreshTokens();
        var refreshed = await PostTokenAsync(http, server.TokenEndpoint, RefreshForm(server, tokens.Json.GetProperty("refresh_token").GetString()!));

        Assert.Equal(HttpStatusCode.BadRequest, refreshed.Status);
        Assert.Equal("invalid_grant", refreshed.Json.GetProperty("error").GetString());
        Assert.Contains("revoked", refreshed.Json.GetProperty("error_description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_RotationOff_AnswersNoRefreshTokenAndOldOneStaysValid()
    {
        await using var server = await OAuth2TestServer.StartAsync(new OAuth2TestServerOptions { RotateRefreshTokens = false }, Ct);
        using var http = server.CreateHttpClient();
        var tokens = await PostTokenAsync(http, server.TokenEndpoint, CodeForm(server, await AuthorizeAsync(server, challenge: null), verifier: null));
        var refreshToken = tokens.Json.GetProperty("refresh_token").GetString()!;

        var first = await PostTokenAsync(http, server.TokenEndpoint, RefreshForm(server, refreshToken));
        var second = await PostTokenAsync(http, server.TokenEndpoint, RefreshForm(server, refreshToken));

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.False(first.Json.TryGetProperty("refresh_token", out _));
        Assert.Equal(HttpStatusCode.OK, second.Status);
    }

    [Fact]
    public async Task Refresh_SameTokenInParallelWithRotation_ExactlyOneSucceeds()
    {
        await using var server = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        using var http = server.CreateHttpClient();
        var tokens = await PostTokenAsync(http, server.TokenEndpoint, CodeForm(server, await AuthorizeAsync(server, challenge: null), verifier: null));
        var refreshToken = tokens.Json.GetProperty("refresh_token").GetString()!;

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => PostTokenAsync(http, server.TokenEndpoint, RefreshForm(server, refreshToken))));

        Assert.Single(results, r => r.Status == HttpStatusCode.OK);
        Assert.Equal(15, results.Count(r => r.Json.TryGetProperty("error", out var e) && e.GetString() == "invalid_grant"));
        Assert.Equal(16, server.GetTokenRequestCount(OAuth2GrantTypes.RefreshToken));
        Assert.Equal(18, server.Requests.Count);
    }

    [Fact]
    public async Task Refresh_UnknownToken_InvalidGrant()
    {
        await using var server = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        using var http = server.CreateHttpClient();

        var result = await PostTokenAsync(http, server.TokenEndpoint, RefreshForm(server, "rt.never-issued"));

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal("invalid_grant", result.Json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task AccessTokens_LifetimeAndClock_ExpireAndRevoke()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await OAuth2TestServer.StartAsync(new OAuth2TestServerOptions { TimeProvider = clock }, Ct);
        using var http = server.CreateHttpClient();
        server.AccessTokenLifetime = TimeSpan.FromSeconds(5);

        var result = await PostTokenAsync(http, server.TokenEndpoint, ClientCredentialsForm(server));
        var token = result.Json.GetProperty("access_token").GetString()!;
        Assert.Equal(5, result.Json.GetProperty("expires_in").GetInt32());
        Assert.True(server.IsAccessTokenValid(token));
        Assert.Equal(token, Assert.Single(server.ValidAccessTokens).Value);

        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.False(server.IsAccessTokenValid(token));

        var another = await PostTokenAsync(http, server.TokenEndpoint, ClientCredentialsForm(server));
        server.RevokeAllAccessTokens();
        Assert.False(server.IsAccessTokenValid(another.Json.GetProperty("access_token").GetString()!));
        Assert.False(server.IsAccessTokenValid("at.never-issued"));
    }

    [Fact]
    public async Task RefreshTokenLifetime_Set_AnswersExpiryAndRefusesWhenExpired()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await OAuth2TestServer.StartAsync(new OAuth2TestServerOptions { TimeProvider = clock, RefreshTokenLifetime = TimeSpan.FromDays(90) }, Ct);
        using var http = server.CreateHttpClient();
        var tokens = await PostTokenAsync(http, server.TokenEndpoint, CodeForm(server, await AuthorizeAsync(server, challenge: null), verifier: null));

        clock.Advance(TimeSpan.FromDays(91));
        var refreshed = await PostTokenAsync(http, server.TokenEndpoint, RefreshForm(server, tokens.Json.GetProperty("refresh_token").GetString()!));

        Assert.Equal(90 * 24 * 3600, tokens.Json.GetProperty("refresh_token_expires_in").GetInt32());
        Assert.Equal("invalid_grant", refreshed.Json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task IdToken_OpenIdScope_SignedByKeyInJwks()
    {
        await using var server = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        using var http = server.CreateHttpClient();
        var uri = QueryHelpers.AddQueryString(AuthorizeUri(server, challenge: null).AbsoluteUri, "nonce", "n-42");
        var code = (await server.AuthorizeAsync(new Uri(uri), Ct)).Code!;
        var tokens = await PostTokenAsync(http, server.TokenEndpoint, CodeForm(server, code, verifier: null));
        var jwks = await GetJsonAsync(http, "keys");

        var parts = tokens.Json.GetProperty("id_token").GetString()!.Split('.');
        var jwk = jwks.GetProperty("keys")[0];
        using var key = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url.DecodeFromChars(jwk.GetProperty("x").GetString()), Y = Base64Url.DecodeFromChars(jwk.GetProperty("y").GetString()) },
        });
        Assert.True(key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256));
        var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement;
        Assert.Equal($"https://localhost:{server.Port}", claims.GetProperty("iss").GetString());
        Assert.Equal(server.Client.ClientId, claims.GetProperty("aud").GetString());
        Assert.Equal("n-42", claims.GetProperty("nonce").GetString());
        Assert.Equal("mailer@contoso.test", claims.GetProperty("email").GetString());
    }

    [Fact]
    public async Task UnknownPath_404AndRecorded()
    {
        await using var server = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        using var http = server.CreateHttpClient();

        using var response = await http.GetAsync(new Uri("common/discovery/instance?api-version=1.1", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var recorded = Assert.Single(server.Requests);
        Assert.Equal(OAuth2Endpoint.Unknown, recorded.Endpoint);
        Assert.Equal("/common/discovery/instance?api-version=1.1", recorded.PathAndQuery);
        Assert.Equal("1.1", recorded["api-version"]);
    }

    private static Uri AuthorizeUri(OAuth2TestServer server, string? challenge, string state = "xyz") =>
        new(QueryHelpers.AddQueryString(server.AuthorizationEndpoint.AbsoluteUri, new Dictionary<string, string?>
        {
            ["client_id"] = server.Client.ClientId,
            ["redirect_uri"] = RedirectUri,
            ["response_type"] = "code",
            ["scope"] = "openid email https://mail.google.com/",
            ["state"] = state,
            ["access_type"] = "offline",
        }.Concat(challenge is null ? [] : [new("code_challenge", challenge), new("code_challenge_method", "S256")])));

    private static async Task<string> AuthorizeAsync(OAuth2TestServer server, string? challenge) =>
        (await server.AuthorizeAsync(AuthorizeUri(server, challenge), Ct)).Code!;

    private static Dictionary<string, string> CodeForm(OAuth2TestServer server, string code, string? verifier)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = RedirectUri,
            ["client_id"] = server.Client.ClientId,
            ["client_secret"] = server.Client.ClientSecret,
        };
        if (verifier is not null)
        {
            form["code_verifier"] = verifier;
        }

        return form;
    }

    private static Dictionary<string, string> RefreshForm(OAuth2TestServer server, string refreshToken) => new()
    {
        ["grant_type"] = "refresh_token",
        ["refresh_token"] = refreshToken,
        ["client_id"] = server.Client.ClientId,
        ["client_secret"] = server.Client.ClientSecret,
    };

    private static Dictionary<string, string> ClientCredentialsForm(OAuth2TestServer server) => new()
    {
        ["grant_type"] = "client_credentials",
        ["scope"] = "https://outlook.office365.com/.default",
        ["client_id"] = server.Client.ClientId,
        ["client_secret"] = server.Client.ClientSecret,
    };

    private static async Task<(HttpStatusCode Status, JsonElement Json)> PostTokenAsync(HttpClient http, Uri endpoint, Dictionary<string, string> form)
    {
        using var response = await http.PostAsync(endpoint, new FormUrlEncodedContent(form), Ct);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        return (response.StatusCode, json);
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient http, string relativePath)
    {
        using var response = await http.GetAsync(new Uri(relativePath, UriKind.Relative), Ct);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
    }
}
