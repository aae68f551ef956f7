using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.OAuth2;

/// <summary>
/// What a real redis-server holds of SystemMail's records, read byte for byte: tokens, client secret and fingerprints
/// only encrypted; pending authorizations with an expiry, taken once.
/// </summary>
public sealed class RedisTokenStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GenerateAccessToken_Redis_RawBytesHoldNoTokenSecretOrUnkeyedHash()
    {
        await using var redis = await RedisTestServer.StartAsync(Ct);
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Custom, cancellationToken: Ct);
        var instance = CreateInstance(mail, redis);
        await mail.GenerateAccessTokenAsync(instance, Ct);
        await instance.GetRequiredService<IOAuthTokenService>().CreateAuthorizationUrlAsync(cancellationToken: Ct); // a pending one too

        var raw = await ReadAllAsync(redis);

        // What the store would leak in clear: the tokens (read back through SystemMail), the client secret and its
        // unkeyed hash as fingerprints were kept before, and the JSON of the records.
        var record = await ReadRecordAsync(instance);
        Assert.Equal(2, raw.Count);
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

        // The fingerprint inside is keyed: the client secret's hash is not the unkeyed one.
        Assert.NotEqual(SmtpDestination.Hash(mail.Authorization.Client.ClientSecret), record.Fingerprint["client secret"]);
        Assert.True(record.Fingerprint.ContainsKey(SmtpDestination.SaltKey));
    }

    [Fact]
    public async Task CreateAuthorizationUrlAsync_Redis_PendingExpiresInRedisWithTheAuthorizationLifetime()
    {
        await using var redis = await RedisTestServer.StartAsync(Ct);
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Custom, cancellationToken: Ct);
        var instance = CreateInstance(mail, redis);

        var request = await instance.GetRequiredService<IOAuthTokenService>().CreateAuthorizationUrlAsync(cancellationToken: Ct);

        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var ttl = await connection.GetDatabase().KeyTimeToLiveAsync("SystemMail:OAuth2:state:" + request.State);
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
    }

    [Fact]
    public async Task CompleteAuthorizationAsync_RedisAndExpiredState_RefusedAndNothingStored()
    {
        await using var redis = await RedisTestServer.StartAsync(Ct);
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Custom, cancellationToken: Ct);
        var instance = CreateInstance(mail, redis);
        var tokens = instance.GetRequiredService<IOAuthTokenService>();
        var request = await tokens.CreateAuthorizationUrlAsync(cancellationToken: Ct);
        var consent = await mail.Authorization.AuthorizeAsync(request.Url, Ct);
        mail.Time.Advance(TimeSpan.FromMinutes(11));

        var ex = await Assert.ThrowsAsync<SystemMailException>(() => tokens.CompleteAuthorizationAsync(consent.Code, consent.State, cancellationToken: Ct));

        Assert.Equal(Hints.AuthorizationStateInvalid.Id, ex.HintId);
        Assert.Equal(0, mail.Authorization.GetTokenRequestCount("authorization_code"));
        Assert.Equal(OAuthTokenState.NotGenerated, (await tokens.GetStatusAsync(Ct)).State);
    }

    [Fact]
    public async Task CompleteAuthorizationAsync_RedisTwoCallbacksWithTheSameState_ExactlyOneWins()
    {
        await using var redis = await RedisTestServer.StartAsync(Ct);
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Custom, cancellationToken: Ct);
        var a = CreateInstance(mail, redis);
        var b = CreateInstance(mail, redis);
        var request = await a.GetRequiredService<IOAuthTokenService>().CreateAuthorizationUrlAsync(cancellationToken: Ct);
        var consent = await mail.Authorization.AuthorizeAsync(request.Url, Ct);

        var outcomes = await Task.WhenAll(new[] { a, b }.Select(instance => Task.Run(async () =>
        {
            try
            {
                return (await instance.GetRequiredService<IOAuthTokenService>().CompleteAuthorizationAsync(consent.Code, consent.State, cancellationToken: Ct)).State.ToString();
            }
            catch (SystemMailException ex)
            {
                return ex.HintId;
            }
        }, Ct)));

        Assert.Single(outcomes, o => o == nameof(OAuthTokenState.Generated));
        Assert.Equal(OAuthTokenState.Generated, (await b.GetRequiredService<IOAuthTokenService>().GetStatusAsync(Ct)).State);
    }

    private static readonly DirectoryInfo Keys = Directory.CreateTempSubdirectory("systemmail-keys-");

    /// <summary>An instance over Redis, with the key ring every instance of these tests shares (a folder, apart from Redis).</summary>
    private static ServiceProvider CreateInstance(OAuth2Mail mail, RedisTestServer redis) => mail.CreateInstance(
        services =>
        {
            services.AddStackExchangeRedisCache(o => o.Configuration = redis.Configuration);
            services.AddDataProtection().SetApplicationName("contoso-iot").PersistKeysToFileSystem(Keys);
            services.AddSystemMail(mail.Configuration).AddDistributedTokenStore();
        },
        sharedStore: false);

    private static async Task<OAuthTokenRecord> ReadRecordAsync(IServiceProvider instance)
    {
        var entry = await instance.GetRequiredService<IOAuthTokenStore>().GetAsync(OAuthSettings.TokenKey, Ct);
        return instance.GetRequiredService<OAuthRecordSerializer>().Deserialize(entry!.Value, OAuthJsonContext.Default.OAuthTokenRecord)!;
    }

    /// <summary>Every value redis-server holds, as bytes (the cache keeps each in a hash's fields).</summary>
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
