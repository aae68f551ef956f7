using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace SystemMail.StackExchangeRedis;

/// <summary>
/// Stops the host at start-up when the Redis store has no way to connect, or a configuration string it cannot read,
/// naming the fix.
/// </summary>
internal sealed class SystemMailRedisOptionsValidator : IValidateOptions<SystemMailRedisOptions>
{
    private readonly IServiceProviderIsService _registered;

    public SystemMailRedisOptionsValidator(IServiceProviderIsService registered)
    {
        _registered = registered;
    }

    public ValidateOptionsResult Validate(string? name, SystemMailRedisOptions options)
    {
        if (options.ConnectionMultiplexerFactory is not null || options.ConfigurationOptions is not null)
        {
            return ValidateOptionsResult.Success;
        }

        if (options.Configuration is { } configuration)
        {
            try
            {
                ConfigurationOptions.Parse(configuration);
                return ValidateOptionsResult.Success;
            }
            catch (ArgumentException)
            {
                // The parser's message quotes what it could not read, which may be part of a password: it is left out.
                return ValidateOptionsResult.Fail(
                    "SystemMail's Redis store cannot read its Configuration, a StackExchange.Redis configuration string such as " +
                    "\"redis.internal:6379,password=…,ssl=true\": check each option's name and value (a password with a comma or '=' goes in ConfigurationOptions.Password).");
            }
        }

        return _registered.IsService(typeof(IConnectionMultiplexer))
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                "SystemMail's Redis store has nowhere to connect: set Configuration (builder.PersistToRedis(\"redis.internal:6379\")), " +
                "ConfigurationOptions or ConnectionMultiplexerFactory, or register an IConnectionMultiplexer in the services.");
    }
}
