using Microsoft.Extensions.DependencyInjection;
using SystemMail.Tests.Infrastructure;
using SystemMail.Tests.Infrastructure.OAuth2;

namespace SystemMail.Tests.OAuth2;

/// <summary>A farm of hosts sharing tokens through a real redis-server, with the provider rotating refresh tokens.</summary>
public sealed class SharedTokenStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(OAuth2Flavor.Google, RedisStore.DistributedCache)]
    [InlineData(OAuth2Flavor.Office365, RedisStore.DistributedCache)]
    [InlineData(OAuth2Flavor.Office365, RedisStore.PersistToRedis)]
    public async Task SendAsync_TwoInstancesOverRedisRefreshingAtOnce_NewestRefreshTokenSurvives(OAuth2Flavor flavor, RedisStore store)
    {
        // Arrange: two instances, one Redis, one Data Protection key ring; consent given once, on instance A.
        await using var redis = await RedisTestServer.StartAsync(Ct);
        await using var mail = await OAuth2Mail.StartAsync(flavor, new OAuth2TestServerOptions { RotateRefreshTokens = true }, Ct);
        var a = RedisStores.CreateInstance(mail, redis, store);
        var b = RedisStores.CreateInstance(mail, redis, store);
        await mail.GenerateAccessTokenAsync(a, Ct);

        // B sends with the tokens A's consent produced: no consent of its own.
        await SendAsync(b);
        Assert.Equal(1, mail.Authorization.AuthorizeRequests);

        for (var round = 1; round <= 4; round++)
        {
            // Act: the access token expires; both instances need a new one at the same moment.
            mail.Time.Advance(TimeSpan.FromHours(2));
            await Task.WhenAll(SendAsync(a), SendAsync(b));

            // Assert: both sent; the tokens are still usable (a stale refresh token saved over the newest would
            // make the next round fail with invalid_grant, since the provider rotates them).
            Assert.Equal(OAuthTokenState.Generated, (await a.GetRequiredService<IOAuthTokenService>().GetStatusAsync(Ct)).State);
            Assert.Equal(OAuthTokenState.Generated, (await b.GetRequiredService<IOAuthTokenService>().GetStatusAsync(Ct)).State);
        }

        Assert.Equal(1 + (4 * 2), (await mail.Smtp.GetMessagesAsync(Ct)).Count);
        Assert.Equal(1, mail.Authorization.AuthorizeRequests);
        var refreshes = mail.Authorization.Requests.Where(r => r.Parameters.GetValueOrDefault("grant_type") == "refresh_token").ToList();
        Assert.InRange(refreshes.Count(r => r.StatusCode == 200), 4, 8);
    }

    [Fact]
    public async Task ClearTokensAsync_OnAnotherInstance_ThisInstanceStopsAtItsNextStoreCheckAndClosesItsConnection()
    {
        // Arrange: two instances over one Redis; B sent once, so its XOAUTH2 connection waits idle in its pool.
        await using var redis = await RedisTestServer.StartAsync(Ct);
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Custom, cancellationToken: Ct);
        var a = RedisStores.CreateInstance(mail, redis, RedisStore.DistributedCache);
        var b = RedisStores.CreateInstance(mail, redis, RedisStore.DistributedCache);
        var poolB = b.GetRequiredService<SmtpConnectionPool>();
        await mail.GenerateAccessTokenAsync(a, Ct);
        await SendAsync(b);

        // Past the check interval with the tokens intact: B reads the store, and keeps its connection and its token.
        mail.Time.Advance(new SmtpOAuthOptions().StoreCheckInterval + TimeSpan.FromSeconds(1));
        await SendAsync(b);
        Assert.Equal(1, poolB.IdleConnections);

        // Act: A clears the tokens; B's next mail comes after its next check.
        await a.GetRequiredService<IOAuthTokenService>().ClearTokensAsync("alice", cancellationToken: Ct);
        mail.Time.Advance(new SmtpOAuthOptions().StoreCheckInterval + TimeSpan.FromSeconds(1));
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => SendAsync(b));

        // Assert: B's connection closed, the send asks for a new consent, and the mail never reached the server.
        Assert.Equal(SystemMailErrorKind.Authentication, ex.Kind);
        Assert.Equal(Hints.GenerateAccessToken.Id, ex.HintId);
        Assert.Equal(0, poolB.IdleConnections);
        Assert.Equal(2, (await mail.Smtp.GetMessagesAsync(Ct)).Count);
        Assert.Single((await mail.Smtp.GetStatsAsync(Ct)).AuthAttempts, x => x.Method == "XOAUTH2");
        Assert.Single(mail.Authorization.Requests, r => r.Parameters.GetValueOrDefault("grant_type") == "authorization_code");
        Assert.DoesNotContain(mail.Authorization.Requests, r => r.Parameters.GetValueOrDefault("grant_type") == "refresh_token");
        Assert.Equal("alice", (await b.GetRequiredService<IOAuthTokenService>().GetStatusAsync(Ct)).ClearedBy);
    }

    private static Task<SentMail> SendAsync(IServiceProvider instance) =>
        instance.GetRequiredService<ISystemMailer>().SendTestMailAsync("admin@contoso.test", cancellationToken: Ct);
}
