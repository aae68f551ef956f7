using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.OAuth2;

/// <summary>The two ways SystemMail keeps its records in Redis, for the tests that run over both.</summary>
public enum RedisStore
{
    /// <summary><c>AddDistributedTokenStore()</c> over Microsoft's Redis cache.</summary>
    DistributedCache,

    /// <summary>SystemMail.StackExchangeRedis's <c>PersistToRedis</c>.</summary>
    PersistToRedis,
}

/// <summary>Instances over a real redis-server with either store, and what that server holds, byte for byte.</summary>
internal static class RedisStores
{
    /// <summary>The key ring every instance of these tests shares: a folder, apart from Redis.</summary>
    private static readonly DirectoryInfo Keys = Directory.CreateTempSubdirectory("systemmail-keys-");

    /// <summary>What the store puts before each of SystemMail's keys.</summary>
    public static string KeyPrefix(RedisStore store) => store == RedisStore.DistributedCache ? "SystemMail:OAuth2:" : "SystemMail:";

    /// <summary>An instance of <paramref name="mail"/>'s host keeping its records in <paramref name="redis"/>.</summary>
    public static ServiceProvider CreateInstance(OAuth2Mail mail, RedisTestServer redis, RedisStore store) => store switch
    {
        RedisStore.DistributedCache => mail.CreateInstance(
            services =>
            {
                services.AddStackExchangeRedisCache(o => o.Configuration = redis.Configuration);
                services.AddDataProtection().SetApplicationName("contoso-iot").PersistKeysToFileSystem(Keys);
                services.AddSystemMail(mail.Configuration).AddDistributedTokenStore();
            },
            sharedStore: false),
        _ => mail.CreateInstance(
            services => services.AddDataProtection().SetApplicationName("contoso-iot").PersistKeysToFileSystem(Keys),
            sharedStore: false,
            systemMail: builder => builder.PersistToRedis(redis.Configuration)),
    };

    /// <summary>The token record as SystemMail reads it back (decrypted).</summary>
    public static async Task<OAuthTokenRecord> ReadRecordAsync(IServiceProvider instance, CancellationToken cancellationToken)
    {
        var entry = await instance.GetRequiredService<IOAuthTokenStore>().GetAsync(OAuthSettings.TokenKey, cancellationToken);
        return instance.GetRequiredService<OAuthRecordSerializer>().Deserialize(entry!.Value, OAuthJsonContext.Default.OAuthTokenRecord)!;
    }

    /// <summary>Every record redis-server holds, as bytes: each hash's field names and values (both stores keep hashes).</summary>
    public static async Task<Dictionary<string, byte[]>> ReadAllAsync(RedisTestServer redis)
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
