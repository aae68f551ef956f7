using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.OAuth2;

/// <summary>The "Generate access token" round trip of ThingsBoard's "Mail server" page, end to end against real servers on loopback.</summary>
public sealed class GenerateAccessTokenTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(OAuth2Flavor.Google)]
    [InlineData(OAuth2Flavor.Office365)]
    [InlineData(OAuth2Flavor.Custom)]
    public async Task CompleteAuthorizationAsync_ConsentGiven_StatusGeneratedAndMailGoesOutWithXOAuth2(OAuth2Flavor flavor)
    {
        // Arrange
        await using var mail = await OAuth2Mail.StartAsync(flavor, cancellationToken: Ct);
        var instance = mail.CreateInstance();
        var tokens = instance.GetRequiredService<IOAuthTokenService>();
        Assert.Equal(OAuthTokenState.NotGenerated, (await tokens.GetStatusAsync(Ct)).State);

        // Act
        var request = await tokens.CreateAuthorizationUrlAsync(cancellationToken: Ct);
        var consent = await mail.Authorization.AuthorizeAsync(request.Url, Ct);
        var status = await tokens.CompleteAuthorizationAsync(consent.Code, consent.State, cancellationToken: Ct);
        var sent = await instance.GetRequiredService<ISystemMailer>().SendTestMailAsync("admin@contoso.test", cancellationToken: Ct);

        // Assert: the status the settings page shows.
        Assert.Equal(OAuthTokenState.Generated, status.State);
        Assert.Equal(mail.Time.GetUtcNow(), status.GeneratedAt);
        Assert.True(status.AccessTokenExpiresAt > mail.Time.GetUtcNow().AddMinutes(30));
        Assert.Equal(status.State, (await tokens.GetStatusAsync(Ct)).State);

        // The authorization request: state, PKCE S256, the template's scopes and parameters, the redirect URI.
        var authorize = mail.Authorization.LastAuthorizeRequest!;
        Assert.Equal(request.State, authorize.Parameters["state"]);
        Assert.Equal("S256", authorize.Parameters["code_challenge_method"]);
        Assert.Equal(OAuth2Mail.RedirectUri.AbsoluteUri, authorize.Parameters["redirect_uri"]);
        switch (flavor)
        {
            case OAuth2Flavor.Google:
                Assert.Equal("offline", authorize.Parameters["access_type"]);
                Assert.Equal("consent", authorize.Parameters["prompt"]);
                Assert.Equal("https://mail.google.com/", authorize.Parameters["scope"]);
                break;
            case OAuth2Flavor.Office365:
                Assert.Equal(mail.Authorization.TenantId, authorize.Tenant);
                Assert.Contains("https://outlook.office365.com/SMTP.Send", authorize.Parameters["scope"].Split(' '));
                Assert.Contains("offline_access", authorize.Parameters["scope"].Split(' '));
                break;
            default:
                Assert.Equal("smtp.send", authorize.Parameters["scope"]);
                break;
        }

        // The code exchange carried the PKCE verifier (the server requires and checks it).
        var exchange = mail.Authorization.LastTokenRequest!;
        Assert.Equal("authorization_code", exchange.Parameters["grant_type"]);
        Assert.True(exchange.Parameters.ContainsKey("code_verifier"));
        Assert.Equal(200, exchange.StatusCode);

        // The mail went out with XOAUTH2, as the mailbox that consented, with a token the authorization server issued.
        var received = Assert.Single(await mail.Smtp.GetMessagesAsync(Ct));
        Assert.Equal(mail.Mailbox, received.AuthenticatedUser);
        Assert.Equal(sent.MessageId, received.Message.MessageId);
        Assert.Contains((await mail.Smtp.GetStatsAsync(Ct)).AuthAttempts, a => a is { Method: "XOAUTH2", Success: true });
        Assert.True(mail.Authorization.IntrospectionRequests >= 1);
    }

    [Fact]
    public async Task SendTestMailAsync_NoTokensGenerated_ThrowsAuthenticationWithGenerateHint()
    {
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Custom, cancellationToken: Ct);
        var instance = mail.CreateInstance();

        var ex = await Assert.ThrowsAsync<SystemMailException>(() => instance.GetRequiredService<ISystemMailer>().SendTestMailAsync("admin@contoso.test", cancellationToken: Ct));

        Assert.Equal(SystemMailErrorKind.Authentication, ex.Kind);
        Assert.Contains("Generate access token", ex.GetHint(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Equal(0, mail.Authorization.TokenRequests);
        Assert.Empty((await mail.Smtp.GetStatsAsync(Ct)).AuthAttempts);
    }

    [Fact]
    public async Task CompleteAuthorizationAsync_TamperedState_FailsAndStoresNothing()
    {
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Custom, cancellationToken: Ct);
        var tokens = mail.CreateInstance().GetRequiredService<IOAuthTokenService>();
        var request = await tokens.CreateAuthorizationUrlAsync(cancellationToken: Ct);
        var consent = await mail.Authorization.AuthorizeAsync(request.Url, Ct);

        var ex = await Assert.ThrowsAsync<SystemMailException>(() => tokens.CompleteAuthorizationAsync(consent.Code, consent.State + "x", cancellationToken: Ct));

        Assert.Equal(SystemMailErrorKind.Authentication, ex.Kind);
        Assert.Contains("state", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, mail.Authorization.TokenRequests);
        Assert.Equal(OAuthTokenState.NotGenerated, (await tokens.GetStatusAsync(Ct)).State);
    }

    [Fact]
    public async Task CompleteAuthorizationAsync_StateUsedTwice_SecondFailsFirstStands()
    {
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Custom, cancellationToken: Ct);
        var tokens = mail.CreateInstance().GetRequiredService<IOAuthTokenService>();
        var request = await tokens.CreateAuthorizationUrlAsync(cancellationToken: Ct);
        var consent = await mail.Authorization.AuthorizeAsync(request.Url, Ct);
        await tokens.CompleteAuthorizationAsync(consent.Code, consent.State, cancellationToken: Ct);

        var ex = await Assert.ThrowsAsync<SystemMailException>(() => tokens.CompleteAuthorizationAsync(consent.Code, consent.State, cancellationToken: Ct));

        Assert.Contains("already used", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, mail.Authorization.TokenRequests);
        Assert.Equal(OAuthTokenState.Generated, (await tokens.GetStatusAsync(Ct)).State);
    }

    [Fact]
    public async Task CompleteAuthorizationAsync_AfterAuthorizationLifetime_FailsAndStoresNothing()
    {
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Custom, cancellationToken: Ct);
        var tokens = mail.CreateInstance().GetRequiredService<IOAuthTokenService>();
        var request = await tokens.CreateAuthorizationUrlAsync(cancellationToken: Ct);
        var consent = await mail.Authorization.AuthorizeAsync(request.Url, Ct);

        mail.Time.Advance(TimeSpan.FromMinutes(11));
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => tokens.CompleteAuthorizationAsync(consent.Code, consent.State, cancellationToken: Ct));

        Assert.Contains("expired", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, mail.Authorization.TokenRequests);
        Assert.Equal(OAuthTokenState.NotGenerated, (await tokens.GetStatusAsync(Ct)).State);
    }

    [Fact]
    public async Task CompleteAuthorizationAsync_StartedBySomeoneElse_Fails()
    {
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Custom, cancellationToken: Ct);
        var tokens = mail.CreateInstance().GetRequiredService<IOAuthTokenService>();
        var request = await tokens.CreateAuthorizationUrlAsync(boundTo: "admin-1", cancellationToken: Ct);
        var consent = await mail.Authorization.AuthorizeAsync(request.Url, Ct);

        var ex = await Assert.ThrowsAsync<SystemMailException>(() => tokens.CompleteAuthorizationAsync(consent.Code, consent.State, boundTo: "admin-2", cancellationToken: Ct));

        Assert.Contains("someone else", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, mail.Authorization.TokenRequests);
    }

    [Fact]
    public async Task CompleteAuthorizationAsync_ProviderRefused_ReportsTheProvidersErrorAndStoresNothing()
    {
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Google, cancellationToken: Ct);
        var tokens = mail.CreateInstance().GetRequiredService<IOAuthTokenService>();
        var request = await tokens.CreateAuthorizationUrlAsync(cancellationToken: Ct);
        mail.Authorization.FailNextAuthorization("access_denied", "The user declined to grant access.");
        var consent = await mail.Authorization.AuthorizeAsync(request.Url, Ct);

        var ex = await Assert.ThrowsAsync<SystemMailException>(() => tokens.CompleteAuthorizationAsync(consent.Code, consent.State, consent.Error, consent.ErrorDescription, cancellationToken: Ct));

        Assert.Equal(SystemMailErrorKind.Authentication, ex.Kind);
        Assert.Contains("access_denied", ex.Message, StringComparison.Ordinal);
        Assert.Contains("The user declined", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, mail.Authorization.TokenRequests);
        Assert.Equal(OAuthTokenState.NotGenerated, (await tokens.GetStatusAsync(Ct)).State);
    }

    [Fact]
    public async Task CompleteAuthorizationAsync_WrongPkceVerifier_ServerRefusesAndNothingIsStored()
    {
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Custom, cancellationToken: Ct);
        var tokens = mail.CreateInstance().GetRequiredService<IOAuthTokenService>();
        var request = await tokens.CreateAuthorizationUrlAsync(cancellationToken: Ct);
        var consent = await mail.Authorization.AuthorizeAsync(request.Url, Ct);
        await ReplaceVerifierAsync(mail.Store, request.State);

        var ex = await Assert.ThrowsAsync<SystemMailException>(() => tokens.CompleteAuthorizationAsync(consent.Code, consent.State, cancellationToken: Ct));

        Assert.Equal(SystemMailErrorKind.Authentication, ex.Kind);
        Assert.Contains("PKCE", ex.Message, StringComparison.Ordinal);
        Assert.Equal("invalid_grant", mail.Authorization.LastTokenRequest!.Error);
        Assert.Equal(OAuthTokenState.NotGenerated, (await tokens.GetStatusAsync(Ct)).State);
    }

    [Fact]
    public async Task CreateAuthorizationUrlAsync_CalledTwice_FreshStateAndChallengeEachTime()
    {
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Custom, cancellationToken: Ct);
        var tokens = mail.CreateInstance().GetRequiredService<IOAuthTokenService>();

        var first = await tokens.CreateAuthorizationUrlAsync(cancellationToken: Ct);
        var second = await tokens.CreateAuthorizationUrlAsync(cancellationToken: Ct);

        Assert.NotEqual(first.State, second.State);
        Assert.NotEqual(Query(first.Url)["code_challenge"], Query(second.Url)["code_challenge"]);
        Assert.Equal(mail.Time.GetUtcNow().AddMinutes(10), first.ExpiresAt);
        Assert.Equal(OAuth2Mail.RedirectUri, tokens.RedirectUri);
    }

    [Fact]
    public async Task CompleteAuthorizationAsync_TokensAtRest_ContainNoTokenInClearWhenDataProtectionIsRegistered()
    {
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Custom, cancellationToken: Ct);
        var instance = mail.CreateInstance(services => services.AddDataProtection().SetApplicationName("systemmail-tests").UseEphemeralDataProtectionProvider());
        await mail.GenerateAccessTokenAsync(instance, Ct);
        await instance.GetRequiredService<ISystemMailer>().SendTestMailAsync("admin@contoso.test", cancellationToken: Ct);

        var stored = (await mail.Store.GetAsync("tokens", Ct))!.Value.ToArray();
        var issued = mail.Authorization.ValidAccessTokens.Single().Value;

        Assert.DoesNotContain(issued, System.Text.Encoding.UTF8.GetString(stored), StringComparison.Ordinal);
        Assert.DoesNotContain("\"AccessToken\"", System.Text.Encoding.UTF8.GetString(stored), StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Query(Uri url) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(url.Query).ToDictionary(p => p.Key, p => p.Value.ToString());

    private static async Task ReplaceVerifierAsync(IOAuthTokenStore store, string state)
    {
        var ct = TestContext.Current.CancellationToken;
        var entry = (await store.GetAsync("state:" + state, ct))!;
        var json = System.Text.Json.Nodes.JsonNode.Parse(entry.Value.Span)!.AsObject();
        json["CodeVerifier"] = new string('x', 43);
        var saved = await store.TrySaveAsync("state:" + state, System.Text.Encoding.UTF8.GetBytes(json.ToJsonString()), entry.Version, ct);
        Assert.NotNull(saved);
    }
}
