using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SystemMail;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Where SystemMail keeps OAuth2 tokens: the host's own store, or one shared through <see cref="IDistributedCache"/>.</summary>
public static class SystemMailTokenStoreBuilderExtensions
{
    /// <summary>Keeps OAuth2 tokens in the host's own store (its database), replacing the in-memory default.</summary>
    /// <typeparam name="TStore">The store type, registered as a singleton.</typeparam>
    /// <param name="builder">The SystemMail builder.</param>
    /// <returns>The same builder.</returns>
    public static ISystemMailBuilder AddTokenStore<TStore>(this ISystemMailBuilder builder)
        where TStore : class, IOAuthTokenStore
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IOAuthTokenStore, TStore>());
        return builder;
    }

    /// <summary>
    /// Shares OAuth2 tokens between host instances through the registered <see cref="IDistributedCache"/>
    /// (for example <c>AddStackExchangeRedisCache</c> or <c>AddDistributedSqlServerCache</c>), so one consent serves
    /// the whole farm and a refresh on one instance is seen by the others.
    /// </summary>
    /// <param name="builder">The SystemMail builder.</param>
    /// <returns>The same builder.</returns>
    /// <remarks>
    /// <see cref="IDistributedCache"/> has no compare-and-swap: the version check is a read before the write, which
    /// stops the common race (an instance saving tokens older than the ones it did not read) but not two writes a
    /// few milliseconds apart. SystemMail refreshes once at a time per instance and, when a refresh is refused with
    /// <c>invalid_grant</c>, retries once with the newest stored refresh token. Register Data Protection with a shared
    /// key ring so every instance can read the protected tokens. Over Redis, SystemMail.StackExchangeRedis's
    /// <c>PersistToRedis(…)</c> saves and takes atomically.
    /// </remarks>
    public static ISystemMailBuilder AddDistributedTokenStore(this ISystemMailBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IOAuthTokenStore, DistributedCacheOAuthTokenStore>());
        return builder;
    }
}
