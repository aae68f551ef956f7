using System.Globalization;
using Microsoft.Extensions.DependencyInjection;

namespace SystemMail.Tests.OAuth2;

/// <summary>What happens after "Generated": refresh ahead of expiry, refusals, outages, settings changes and restarts.</summary>
public sealed class TokenLifecycleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<SentMail> SendAsync(IServiceProvider instance, string to = "user@contoso.test") =>
        instance.GetRequiredService<ISystemMailer>().SendPasswordResetAsync(to, new Uri("https://iot.contoso.test/reset?t=1"), TimeSpan.FromMinutes(30), cancellationToken: Ct);

    [Fact]
    public async Task SendAsync_TokenShorterLivedThanTheRefreshMargin_RefreshedOncePerHalfLifetimeNotOnEveryConnection()
    {
        // Arrange: 20 s tokens against the default 5 min margin; 20 connections to open.
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Custom, new SystemMail.Tests.Infrastructure.OAuth2.OAuth2TestServerOptions { AccessTokenLifetime = TimeSpan.FromSeconds(20) }, Ct);
        mail.Change("PoolSize", "20");
        var instance = mail.CreateInstance();
        await mail.GenerateAccessTokenAsync(instance, Ct);
        var before = mail.Authorization.GetTokenRequestCount("refresh_token");

        // Act: within the first half of the lifetime, then past it.
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => SendAsync(instance, $"user{i}@contoso.test")));
        var whileFresh = mail.Authorization.GetTokenRequestCount("refresh_token") - before;
        mail.Time.Advance(TimeSpan.FromSeconds(11));
        mail.Change("Timeout", "00:00:11"); // new settings, same destination: new connections, the same tokens
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => SendAsync(instance, $"later{i}@contoso.test")));

        // Assert
        Assert.Equal(0, whileFresh);
        Assert.Equal(1, mail.Authorization.GetTokenRequestCount("refresh_token") - before);
    }

    [Theory]
    [InlineData(OAuth2Flavor.Google)]
    [InlineData(OAuth2Flavor.Office365)]
    public async Task SendAsync_AccessTokenNearExpiryAnd50ConcurrentSends_ExactlyOneRefresh(OAuth2Flavor flavor)
    {
        // Arrange: tokens generated, then the clock moved to within the refresh margin; 50 connections to open.
        await using var mail = await OAuth2Mail.StartAsync(flavor, cancellationToken: Ct);
        mail.Change("PoolSize", "50");
        var instance = mail.CreateInstance();
        await mail.GenerateAccessTokenAsync(instance, Ct);
        mail.Time.Advance(TimeSpan.FromMinutes(56));
        var before = mail.Authorization.GetTokenRequestCount("refresh_token");

        // Act
        var sent = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => SendAsync(instance, $"user{i}@contoso.test")));

        // Assert
        Assert.Equal(1, mail.Authorization.GetTokenRequestCount("refresh_token") - before);
        Assert.Equal(50, sent.Select(s => s.MessageId).Distinct().Count());
        Assert.Equal(50, (await mail.Smtp.GetMessagesAsync(Ct)).Count);
        var status = await instance.GetRequiredService<IOAuthTokenService>().GetStatusAsync(Ct);
        Assert.Equal(OAuthTokenState.Generated, status.State);
        Assert.True(status.AccessTokenExpiresAt > mail.Time.GetUtcNow().AddMinutes(30));
    }

    [Fact]
    public async Task SendAsync_ManyMailsWithinTokenLifetime_NoTokenRequestAfterGeneration()
    {
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Custom, cancellationToken: Ct);
        mail.Change("ConnectionIdleTimeout", "00:00:01");
        var instance = mail.CreateInstance();
        await mail.GenerateAccessTokenAsync(instance, Ct);
        var tokenRequests = mail.Authorization.TokenRequests;

        for (var i = 0; i < 20; i++)
        {
            // Each mail on a new connection (the idle one is too old), so each authenticates with XOAUTH2.
            mail.Time.Advance(TimeSpan.FromSeconds(2));
            await SendAsync(instance);
        }

        Assert.Equal(tokenRequests, mail.Authorization.TokenRequests);
        Assert.Equal(20, (await mail.Smtp.GetStatsAsync(Ct)).AuthAttempts.Count(a => a.Success));
    }

    [Theory]
    [InlineData(OAuth2Flavor.Google)]
    [InlineData(OAuth2Flavor.Office365)]
    [InlineData(OAuth2Flavor.Custom)]
    public async Task SendAsync_RefreshTokenRevoked_MustRegenerateAndNextSendDoesNotAskAgain(OAuth2Flavor flavor)
    {
        // Arrange
        await using var mail = await OAuth2Mail.StartAsync(flavor, cancellationToken: Ct);
        var instance = mail.CreateInstance();
        var tokens = instance.GetRequiredService<IOAuthTokenService>();
        var changes = new List<OAuthTokenStatus>();
        tokens.StatusChanged += (_, e) => changes.Add(e.Status);
        await mail.GenerateAccessTokenAsync(instance, Ct);
        mail.Authorization.RevokeAllRefreshTokens();
        mail.Time.Advance(TimeSpan.FromHours(2));

        // Act
        var first = await Assert.ThrowsAsync<SystemMailException>(() => SendAsync(instance));
        var tokenRequestsAfterFirst = mail.Authorization.TokenRequests;
        var second = await Assert.ThrowsAsync<SystemMailException>(() => SendAsync(instance));

        // Assert: an authentication failure that says to generate the token again, and the status says why.
        Assert.Equal(SystemMailErrorKind.Authentication, first.Kind);
        Assert.Contains("Generate access token", first.GetHint(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var status = await tokens.GetStatusAsync(Ct);
        Assert.Equal(OAuthTokenState.MustRegenerate, status.State);
        Assert.Contains("refresh token", status.Reason, StringComparison.Ordinal);
        Assert.Equal([OAuthTokenState.Generated, OAuthTokenState.MustRegenerate], changes.Select(c => c.State));

        // The second send fails the same way without asking the token endpoint again.
        Assert.Equal(SystemMailErrorKind.Authentication, second.Kind);
        Assert.Equal(tokenRequestsAfterFirst, mail.Authorization.TokenRequests);
        Assert.Empty(await mail.Smtp.GetMessagesAsync(Ct));

        // Generating again fixes it.
        await mail.GenerateAccessTokenAsync(instance, Ct);
        await SendAsync(instance);
        Assert.Single(await mail.Smtp.GetMessagesAsync(Ct));
    }

    [Fact]
    public async Task SendAsync_TokenEndpointAnswers500_TransientAndTokensKept()
    {
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Office365, cancellationToken: Ct);
        var instance = mail.CreateInstance();
        await mail.GenerateAccessTokenAsync(instance, Ct);
        mail.Time.Advance(TimeSpan.FromHours(2));
        mail.Authorization.FailTokenRequests(1, 500);

        var ex = await Assert.ThrowsAsync<SystemMailException>(() => SendAsync(instance));

        Assert.Equal(SystemMailErrorKind.Transient, ex.Kind);
        Assert.True(ex.IsTransient);
        Assert.Contains("token endpoint", ex.Message, StringComparison.Ordinal);
        Assert.Equal(OAuthTokenState.Generated, (await instance.GetRequiredService<IOAuthTokenService>().GetStatusAsync(Ct)).State);

        // Once the endpoint is back, the same tokens work.
        await SendAsync(instance);
        Assert.Single(await mail.Smtp.GetMessagesAsync(Ct));
    }

    [Fact]
    public async Task GetStatusAsync_ClientIdEdited_TokensDeletedAndStatusNotGeneratedWithReason()
    {
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Office365, cancellationToken: Ct);
        var instance = mail.CreateInstance();
        var tokens = instance.GetRequiredService<IOAuthTokenService>();
        await mail.GenerateAccessTokenAsync(instance, Ct);
        var tokenRequests = mail.Authorization.TokenRequests;

        mail.Change("OAuth2:ClientId", "another-client");
        var status = await tokens.GetStatusAsync(Ct);
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => SendAsync(instance));

        Assert.Equal(OAuthTokenState.NotGenerated, status.State);
        Assert.Contains("client ID", status.Reason, StringComparison.Ordinal);
        Assert.Equal(SystemMailErrorKind.Authentication, ex.Kind);
        Assert.Contains("Generate access token", ex.GetHint(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Equal(tokenRequests, mail.Authorization.TokenRequests);
        var stored = System.Text.Encoding.UTF8.GetString((await mail.Store.GetAsync("tokens", Ct))!.Value.Span);
        Assert.DoesNotContain("AccessToken", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("RefreshToken", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("MsalCache", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_SettingUnrelatedToProviderChanged_TokensKept()
    {
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Custom, cancellationToken: Ct);
        var instance = mail.CreateInstance();
        await mail.GenerateAccessTokenAsync(instance, Ct);

        mail.Change("Product:Name", "Contoso Devices");
        await SendAsync(instance);

        Assert.Equal(OAuthTokenState.Generated, (await instance.GetRequiredService<IOAuthTokenService>().GetStatusAsync(Ct)).State);
        Assert.Contains("Contoso Devices", Assert.Single(await mail.Smtp.GetMessagesAsync(Ct)).Message.Subject, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(OAuth2Flavor.Google)]
    [InlineData(OAuth2Flavor.Office365)]
    public async Task SendAsync_RestartOverTheSameStore_NoNewConsentNeeded(OAuth2Flavor flavor)
    {
        await using var mail = await OAuth2Mail.StartAsync(flavor, cancellationToken: Ct);
        var first = mail.CreateInstance();
        await mail.GenerateAccessTokenAsync(first, Ct);
        await first.DisposeAsync();

        // A new process: nothing in memory, the same store. Later the access token expires and must be refreshed.
        var restarted = mail.CreateInstance();
        await SendAsync(restarted);
        mail.Time.Advance(TimeSpan.FromHours(2));
        mail.Authorization.RevokeAllAccessTokens();
        await SendAsync(restarted);

        Assert.Equal(1, mail.Authorization.AuthorizeRequests);
        Assert.Equal(1, mail.Authorization.GetTokenRequestCount("authorization_code"));
        Assert.Equal(1, mail.Authorization.GetTokenRequestCount("refresh_token"));
        Assert.Equal(2, (await mail.Smtp.GetMessagesAsync(Ct)).Count);
    }

    [Fact]
    public async Task SendAsync_ServerRefusesCachedAccessToken_RefreshesOnceAndSends()
    {
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Google, cancellationToken: Ct);
        var instance = mail.CreateInstance();
        await mail.GenerateAccessTokenAsync(instance, Ct);
        // Revoked early at the provider: still "valid" by its expiry, refused by the SMTP server.
        mail.Authorization.RevokeAllAccessTokens();

        await SendAsync(instance);

        Assert.Equal(1, mail.Authorization.GetTokenRequestCount("refresh_token"));
        var attempts = (await mail.Smtp.GetStatsAsync(Ct)).AuthAttempts;
        Assert.Equal([false, true], attempts.Select(a => a.Success));
        Assert.Single(await mail.Smtp.GetMessagesAsync(Ct));
    }

    [Fact]
    public async Task GetStatusAsync_Office365_TracksRefreshTokenSlidingExpiry()
    {
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Office365, cancellationToken: Ct);
        var instance = mail.CreateInstance();
        await mail.GenerateAccessTokenAsync(instance, Ct);
        var generated = await instance.GetRequiredService<IOAuthTokenService>().GetStatusAsync(Ct);
        mail.Time.Advance(TimeSpan.FromDays(10));

        await SendAsync(instance);
        var refreshed = await instance.GetRequiredService<IOAuthTokenService>().GetStatusAsync(Ct);

        Assert.Equal(generated.GeneratedAt!.Value.AddDays(90), generated.RefreshTokenExpiresAt);
        Assert.Equal(mail.Time.GetUtcNow().AddDays(90), refreshed.RefreshTokenExpiresAt);
    }

    [Fact]
    public async Task SendAsync_Office365ClientCredentials_NoConsentAndTokenCached()
    {
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Office365, cancellationToken: Ct);
        mail.Change("OAuth2:Flow", "ClientCredentials");
        mail.Change("OAuth2:RedirectUri", null);
        var instance = mail.CreateInstance();

        await SendAsync(instance);
        mail.Time.Advance(TimeSpan.FromSeconds(90));
        await SendAsync(instance);

        Assert.Equal(0, mail.Authorization.AuthorizeRequests);
        Assert.Equal(1, mail.Authorization.GetTokenRequestCount("client_credentials"));
        Assert.Equal("https://outlook.office365.com/.default", mail.Authorization.LastTokenRequest!.Parameters["scope"]);
        Assert.Equal(2, (await mail.Smtp.GetMessagesAsync(Ct)).Count);
        Assert.Equal(OAuthTokenState.Generated, (await instance.GetRequiredService<IOAuthTokenService>().GetStatusAsync(Ct)).State);
    }

    [Fact]
    public async Task SendAsync_Office365RefusesXOAuth2With5_7_139_GivesTheSmtpAuthDisabledHint()
    {
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Office365, cancellationToken: Ct);
        var instance = mail.CreateInstance();
        await mail.GenerateAccessTokenAsync(instance, Ct);
        await mail.Smtp.SetBehaviourAsync(new Infrastructure.SmtpTestServerBehaviour
        {
            AuthReply = new Infrastructure.SmtpTestReply(535, "5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox."),
        }, Ct);

        var ex = await Assert.ThrowsAsync<SystemMailException>(() => SendAsync(instance));

        Assert.Equal(SystemMailErrorKind.Authentication, ex.Kind);
        Assert.Equal(535, ex.StatusCode);
        Assert.Equal("5.7.139", ex.EnhancedStatusCode);
        // ThingsBoard's troubleshooting advice, made precise by the reply: SMTP AUTH is off for this mailbox.
        Assert.Contains("SMTP AUTH is turned off", ex.GetHint(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Contains("Set-CASMailbox", ex.GetHint(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        // The refused token was refreshed once and tried once more, then the refusal reported.
        Assert.Equal(1, mail.Authorization.GetTokenRequestCount("refresh_token"));
        Assert.Equal(2, (await mail.Smtp.GetStatsAsync(Ct)).AuthAttempts.Count);
    }

    [Fact]
    public async Task SendAsync_CustomClientCredentials_TokenFromTheTokenEndpointWithoutConsent()
    {
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Custom, cancellationToken: Ct);
        mail.Change("OAuth2:Flow", "ClientCredentials");
        mail.Change("OAuth2:RedirectUri", null);
        mail.Change("OAuth2:AuthorizationEndpoint", null);
        var instance = mail.CreateInstance();

        await SendAsync(instance);

        Assert.Equal(0, mail.Authorization.AuthorizeRequests);
        var request = mail.Authorization.LastTokenRequest!;
        Assert.Equal("client_credentials", request.Parameters["grant_type"]);
        Assert.Equal("smtp.send", request.Parameters["scope"]);
        Assert.Equal(200, request.StatusCode);
        Assert.Single(await mail.Smtp.GetMessagesAsync(Ct));
    }
}
