using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using SystemMail.Tests.Infrastructure;
using SystemMail.Tests.Infrastructure.OAuth2;

namespace SystemMail.Tests.OAuth2;

/// <summary>A farm of hosts sharing tokens through a real redis-server, with the provider rotating refresh tokens.</summary>
public sealed class SharedTokenStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(OAuth2Flavor.Google)]
    [InlineData(OAuth2Flavor.Office365)]
    public async Task SendAsync_TwoInstancesOverRedisRefreshingAtOnce_NewestRefreshTokenSurvives(OAuth2Flavor flavor)
    {
        // Arrange: two instances, one Redis, one Data Protection key ring; consent given once, on instance A.
        await using var redis = await RedisTestServer.StartAsync(Ct);
        await using var mail = await OAuth2Mail.StartAsync(flavor, new OAuth2TestServerOptions { RotateRefreshTokens = true }, Ct);
        var keys = Directory.CreateTempSubdirectory("systemmail-keys-");
        ServiceProvider Instance() => mail.CreateInstance(
            services =>
            {
                services.AddStackExchangeRedisCache(o => o.Configuration = redis.Configuration);
                services.AddDataProtection().SetApplicationName("contoso-iot").PersistKeysToFileSystem(keys);
                services.AddSystemMail(mail.Configuration).AddDistributedTokenStore();
            },
            sharedStore: false);
        var a = Instance();
        var b = Instance();
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

    private static Task<SentMail> SendAsync(IServiceProvider instance) =>
        instance.GetRequiredService<ISystemMailer>().SendTestMailAsync("admin@contoso.test", cancellationToken: Ct);
}
