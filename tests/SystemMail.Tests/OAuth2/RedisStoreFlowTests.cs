using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using SystemMail.Tests.Infrastructure;
using SystemMail.Tests.Infrastructure.OAuth2;

namespace SystemMail.Tests.OAuth2;

/// <summary>
/// "Generate access token" and token refreshes with SystemMail.StackExchangeRedis's store (<c>PersistToRedis</c>) on a
/// real redis-server, against the tests' OAuth2 authorization server: what Redis holds, and what concurrent instances do.
/// </summary>
public sealed class RedisStoreFlowTests
{
    private static readonly DirectoryInfo Keys = Directory.CreateTempSubdirectory("systemmail-keys-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GenerateAccessToken_PersistToRedis_RawBytesHoldNoTokenOrSecret()
    {
        await using var redis = await RedisTestServer.StartAsync(Ct);
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Custom, cancellationToken: Ct);
        var instance = CreateInstance(mail, redis);
        await mail.GenerateAccessTokenAsync(instance, Ct);
        await instance.GetRequiredService<IOAuthTokenService>().CreateAuthorizationUrlAsync(cancellationToken: Ct); // a pending one too

        var raw = await ReadAllAsync(redis);

        var record = await ReadRecordAsync(instance);
        Assert.Equal(["SystemMail:state:", "SystemMail:tokens"], raw.Keys.Select(k => k.StartsWith("SystemMail:state:", StringComparison.Ordinal) ? "SystemMail:state:" : k).Order(StringComparer.Ordinal));
        foreach (var (key, bytes) in raw)
        {
            var text = Encoding.UTF8.GetString(bytes);
            Assert.DoesNotContain(record.AccessToken!, text, StringComparison.Ordinal);
            Assert.DoesNotContain(record.RefreshToken!, text, StringComparison.Ordinal);
            Assert.DoesNotContain(mail.Authorization.Client.ClientSecret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(SmtpDestination.Hash(mail.Authorization.Client.ClientSecret), text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(mail.Mailbox, text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Fingerprint", text, StringComparison.Ordinal);
            Assert.DoesNotContain("CodeVerifier", text, StringComparison.Ordinal);
            Assert.False(text.Contains("AccessToken", StringComparison.Ordinal), key);
        }
    }

    [Fact]
    public async Task CreateAuthorizationUrlAsync_PersistToRedis_PendingExpiresInRedisWithTheAuthorizationLifetime()
    {
        await using var redis = await RedisTestServer.StartAsync(Ct);
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Custom, cancellationToken: Ct);
        var instance = CreateInstance(mail, redis);

        var request = await instance.GetRequiredService<IOAuthTokenService>().CreateAuthorizationUrlAsync(cancellationToken: Ct);

        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var ttl = await connection.GetDatabase().KeyTimeToLiveAsync("SystemMail:state:" + request.State);
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
    }

    [Fact]
    public async Task CompleteAuthorizationAsync_PersistToRedisCallbacksWithTheSameState_OneSetOfTokensOthersRefused()
    {
        await using var redis = await RedisTestServer.StartAsync(Ct);
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Custom, cancellationToken: Ct);
        var instances = new[] { CreateInstance(mail, redis), CreateInstance(mail, redis) };
        const int rounds = 3;
        const int callbacks = 8;
        for (var round = 1; round <= rounds; round++)
        {
            var request = await instances[0].GetRequiredService<IOAuthTokenService>().CreateAuthorizationUrlAsync(cancellationToken: Ct);
            var consent = await mail.Authorization.AuthorizeAsync(request.Url, Ct);

            var outcomes = await Task.WhenAll(Enumerable.Range(0, callbacks).Select(i => Task.Run(async () =>
            {
                try
                {
                    var status = await instances[i % 2].GetRequiredService<IOAuthTokenService>().CompleteAuthorizationAsync(consent.Code, consent.State, cancellationToken: Ct);
                    return status.State.ToString();
                }
                catch (SystemMailException ex)
                {
                    return ex.HintId;
                }
            }, Ct)));

            // One callback takes the state and exchanges the code; every other one is refused before the token
            // endpoint with the "start again" hint, not a provider error.
            Assert.Single(outcomes, o => o == nameof(OAuthTokenState.Generated));
            Assert.Equal(callbacks - 1, outcomes.Count(o => o == Hints.AuthorizationStateInvalid.Id));
            Assert.Equal(round, mail.Authorization.GetTokenRequestCount("authorization_code"));
        }

        Assert.Equal(OAuthTokenState.Generated, (await instances[1].GetRequiredService<IOAuthTokenService>().GetStatusAsync(Ct)).State);
        await instances[1].GetRequiredService<ISystemMailer>().SendTestMailAsync("admin@contoso.test", cancellationToken: Ct);
        Assert.Single(await mail.Smtp.GetMessagesAsync(Ct));
    }

    [Fact]
    public async Task SendAsync_TwoInstancesOverPersistToRedisRefreshingAtOnce_NewestRefreshTokenSurvives()
    {
        await using var redis = await RedisTestServer.StartAsync(Ct);
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Office365, new OAuth2TestServerOptions { RotateRefreshTokens = true }, Ct);
        var a = CreateInstance(mail, redis);
        var b = CreateInstance(mail, redis);
        await mail.GenerateAccessTokenAsync(a, Ct);

        for (var round = 1; round <= 4; round++)
        {
            mail.Time.Advance(TimeSpan.FromHours(2));
            await Task.WhenAll(SendAsync(a), SendAsync(b));

            Assert.Equal(OAuthTokenState.Generated, (await a.GetRequiredService<IOAuthTokenService>().GetStatusAsync(Ct)).State);
            Assert.Equal(OAuthTokenState.Generated, (await b.GetRequiredService<IOAuthTokenService>().GetStatusAsync(Ct)).State);
        }

        Assert.Equal(4 * 2, (await mail.Smtp.GetMessagesAsync(Ct)).Count);
        Assert.Equal(1, mail.Authorization.AuthorizeRequests);
        var refreshes = mail.Authorization.Requests.Where(r => r.Parameters.GetValueOrDefault("grant_type") == "refresh_token").ToList();
        Assert.InRange(refreshes.Count(r => r.StatusCode == 200), 4, 8);
    }

    /// <summary>An instance over Redis, with the key ring every instance of these tests shares (a folder, apart from Redis).</summary>
    private static ServiceProvider CreateInstance(OAuth2Mail mail, RedisTestServer redis) => mail.CreateInstance(
        services => services.AddDataProtection().SetApplicationName("contoso-iot").PersistKeysToFileSystem(Keys),
        sharedStore: false,
        systemMail: builder => builder.PersistToRedis(redis.Configuration));

    private static Task<SentMail> SendAsync(IServiceProvider instance) =>
        instance.GetRequiredService<ISystemMailer>().SendTestMailAsync("admin@contoso.test", cancellationToken: Ct);

    private static async Task<OAuthTokenRecord> ReadRecordAsync(IServiceProvider instance)
    {
        var entry = await instance.GetRequiredService<IOAuthTokenStore>().GetAsync(OAuthSettings.TokenKey, Ct);
        return instance.GetRequiredService<OAuthRecordSerializer>().Deserialize(entry!.Value, OAuthJsonContext.Default.OAuthTokenRecord)!;
    }

    /// <summary>Every record redis-server holds, as bytes: each hash's field names and values.</summary>
    private static async Task<Dictionary<string, byte[]>> ReadAllAsync(RedisTestServer redis)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var server = connection.GetServers().Single();
        var database = connection.GetDatabase();
        var values = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        await foreach (var key in server.KeysAsync(pattern: "*"))
        {
            var fields = await database.HashGetAllAsync(key);
            values[key.ToString()] = [.. fields.SelectMany(f => ((byte[])f.Value!).Concat(Encoding.UTF8.GetBytes(f.Name.ToString())))];
        }

        return values;
    }
}
