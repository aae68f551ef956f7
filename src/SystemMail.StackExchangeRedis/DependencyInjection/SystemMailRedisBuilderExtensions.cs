using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using SystemMail;
using SystemMail.StackExchangeRedis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Keeps SystemMail's records in Redis, shared by a farm of hosts.</summary>
public static class SystemMailRedisBuilderExtensions
{
    /// <summary>
    /// Keeps SystemMail's records (the OAuth2 tokens, pending authorizations and, with SystemMail.AspNetCore, the
    /// settings saved from the settings page) in Redis, replacing the in-memory default.
    /// </summary>
    /// <param name="builder">The SystemMail builder.</param>
    /// <param name="configure">Says where to connect (<see cref="SystemMailRedisOptions.Configuration"/>, a factory) and the key prefix.</param>
    /// <returns>The same builder.</returns>
    /// <remarks>
    /// <para>Every save is a compare-and-swap and every take of a pending authorization a read-and-delete, each run by
    /// Redis as one script: host instances refreshing tokens at once never overwrite a newer refresh token with an
    /// older one, and of two callbacks with the same <c>state</c> exactly one gets it. Pending authorizations expire in
    /// Redis (a TTL).</para>
    /// <para>Register Data Protection with a key ring every instance shares and kept apart from this Redis database
    /// (or the host does not start): what the store holds is encrypted with it.</para>
    /// </remarks>
    public static ISystemMailBuilder PersistToRedis(this ISystemMailBuilder builder, Action<SystemMailRedisOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.PersistToRedis();
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>
    /// Keeps SystemMail's records in the Redis of the <see cref="IConnectionMultiplexer"/> registered in the services
    /// (for example by Aspire's <c>AddRedisClient</c>), replacing the in-memory default (see
    /// <see cref="PersistToRedis(ISystemMailBuilder, Action{SystemMailRedisOptions})"/>).
    /// </summary>
    /// <param name="builder">The SystemMail builder.</param>
    /// <returns>The same builder.</returns>
    public static ISystemMailBuilder PersistToRedis(this ISystemMailBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<SystemMailRedisOptions>().ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SystemMailRedisOptions>, SystemMailRedisOptionsValidator>());
        builder.Services.TryAddSingleton<RedisConnection>();
        builder.AddTokenStore<RedisSystemMailStore>();
        return builder;
    }

    /// <summary>
    /// Keeps SystemMail's records in the Redis that <paramref name="configuration"/> names, replacing the in-memory
    /// default (see <see cref="PersistToRedis(ISystemMailBuilder, Action{SystemMailRedisOptions})"/>).
    /// </summary>
    /// <param name="builder">The SystemMail builder.</param>
    /// <param name="configuration">The StackExchange.Redis configuration string, for example <c>redis.internal:6379,password=…,ssl=true</c>.</param>
    /// <returns>The same builder.</returns>
    public static ISystemMailBuilder PersistToRedis(this ISystemMailBuilder builder, string configuration)
    {
        ArgumentException.ThrowIfNullOrEmpty(configuration);
        return builder.PersistToRedis(o => o.Configuration = configuration);
    }
}
