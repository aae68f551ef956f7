using System.Text;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.OAuth2;

/// <summary>
/// What a real redis-server holds of SystemMail's records, read byte for byte, with either Redis store: tokens, client
/// secret and fingerprints only encrypted; pending authorizations with an expiry, taken once.
/// </summary>
public sealed class RedisTokenStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(RedisStore.DistributedCache)]
    [InlineData(RedisStore.PersistToRedis)]
    public async Task GenerateAccessToken_RawBytesHoldNoTokenSecretOrUnkeyedHash(RedisStore store)
    {
        await using var redis = await RedisTestServer.StartAsync(Ct);
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Custom, cancellationToken: Ct);
        var instance = RedisStores.CreateInstance(mail, redis, store);
        await mail.GenerateAccessTokenAsync(instance, Ct);
        await instance.GetRequiredService<IOAuthTokenService>().CreateAuthorizationUrlAsync(cancellationToken: Ct); // a pending one too

        var raw = await RedisStores.ReadAllAsync(redis);

        // What the store would leak in clear: the tokens (read back through SystemMail), the client secret and its
        // unkeyed hash as fingerprints were kept before, and the JSON of the records.
        var record = await RedisStores.ReadRecordAsync(instance, Ct);
        var prefix = RedisStores.KeyPrefix(store);
        Assert.Equal([prefix + "state:", prefix + "tokens"], raw.Keys.Select(k => k.StartsWith(prefix + "state:", StringComparison.Ordinal) ? prefix + "state:" : k).Order(StringComparer.Ordinal));
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

    [Theory]
    [InlineData(RedisStore.DistributedCache)]
    [InlineData(RedisStore.PersistToRedis)]
    public async Task CreateAuthorizationUrlAsync_PendingExpiresInRedisWithTheAuthorizationLifetime(RedisStore store)
    {
        await using var redis = await RedisTestServer.StartAsync(Ct);
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Custom, cancellationToken: Ct);
        var instance = RedisStores.CreateInstance(mail, redis, store);

        var request = await instance.GetRequiredService<IOAuthTokenService>().CreateAuthorizationUrlAsync(cancellationToken: Ct);

        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var ttl = await connection.GetDatabase().KeyTimeToLiveAsync(RedisStores.KeyPrefix(store) + "state:" + request.State);
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
    }

    [Theory]
    [InlineData(RedisStore.DistributedCache)]
    [InlineData(RedisStore.PersistToRedis)]
    public async Task CompleteAuthorizationAsync_ExpiredState_RefusedAndNothingStored(RedisStore store)
    {
        await using var redis = await RedisTestServer.StartAsync(Ct);
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Custom, cancellationToken: Ct);
        var instance = RedisStores.CreateInstance(mail, redis, store);
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
    public async Task CompleteAuthorizationAsync_DistributedCacheTwoCallbacksWithTheSameState_ExactlyOneWins()
    {
        await using var redis = await RedisTestServer.StartAsync(Ct);
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Custom, cancellationToken: Ct);
        var a = RedisStores.CreateInstance(mail, redis, RedisStore.DistributedCache);
        var b = RedisStores.CreateInstance(mail, redis, RedisStore.DistributedCache);
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

    [Fact]
    public async Task CompleteAuthorizationAsync_PersistToRedisCallbacksWithTheSameState_OneSetOfTokensOthersRefused()
    {
        await using var redis = await RedisTestServer.StartAsync(Ct);
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Custom, cancellationToken: Ct);
        var instances = new[] { RedisStores.CreateInstance(mail, redis, RedisStore.PersistToRedis), RedisStores.CreateInstance(mail, redis, RedisStore.PersistToRedis) };
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
}
