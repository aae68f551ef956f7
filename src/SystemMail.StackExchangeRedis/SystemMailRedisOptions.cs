using StackExchange.Redis;

namespace SystemMail.StackExchangeRedis;

/// <summary>
/// Where SystemMail's Redis store connects, named as in <c>Microsoft.Extensions.Caching.StackExchangeRedis</c>'s
/// <c>RedisCacheOptions</c>. Set one way to connect; when none is set, the store uses the
/// <see cref="IConnectionMultiplexer"/> registered in the host's services.
/// </summary>
/// <remarks>
/// Of several set, <see cref="ConnectionMultiplexerFactory"/> wins, then <see cref="ConfigurationOptions"/>, then
/// <see cref="Configuration"/>. The database is the connection's default (<c>defaultDatabase=</c> in the configuration).
/// </remarks>
public sealed class SystemMailRedisOptions
{
    /// <summary>Gets or sets the StackExchange.Redis configuration string, for example <c>redis.internal:6379,password=…,ssl=true</c>.</summary>
    /// <remarks>The store opens its own connection with it on first use and closes it when the host stops.</remarks>
    public string? Configuration { get; set; }

    /// <summary>Gets or sets the StackExchange.Redis configuration, in place of <see cref="Configuration"/>.</summary>
    /// <remarks>The store opens its own connection with it on first use and closes it when the host stops.</remarks>
    public ConfigurationOptions? ConfigurationOptions { get; set; }

    /// <summary>Gets or sets a factory of the connection to use, for a connection the host shares with other parts of the application.</summary>
    /// <remarks>Called once, on first use. The store never closes a connection it did not open.</remarks>
    public Func<Task<IConnectionMultiplexer>>? ConnectionMultiplexerFactory { get; set; }

    /// <summary>Gets or sets a prefix for every key the store writes, so that several applications can share one database (for example <c>contoso-iot:</c>).</summary>
    /// <remarks>The keys are <c>{InstanceName}SystemMail:{key}</c>: <c>SystemMail:tokens</c>, <c>SystemMail:state:…</c>, <c>SystemMail:settings</c>.</remarks>
    public string? InstanceName { get; set; }
}
