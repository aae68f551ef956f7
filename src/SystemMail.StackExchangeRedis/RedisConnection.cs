using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace SystemMail.StackExchangeRedis;

/// <summary>
/// The store's connection to Redis, opened on first use from <see cref="SystemMailRedisOptions"/> (or taken from the
/// factory or the host's services), and closed with the host only when the store opened it.
/// </summary>
internal sealed class RedisConnection : IAsyncDisposable, IDisposable
{
    private readonly SystemMailRedisOptions _options;
    private readonly IServiceProvider _services;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnectionMultiplexer? _multiplexer;
    private bool _owned;

    public RedisConnection(IOptions<SystemMailRedisOptions> options, IServiceProvider services)
    {
        _options = options.Value;
        _services = services;
    }

    /// <summary>Gets the connection's default database, connecting first when this is the first use.</summary>
    public async ValueTask<IDatabase> GetDatabaseAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var multiplexer = Volatile.Read(ref _multiplexer);
        if (multiplexer is null)
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                multiplexer = _multiplexer ?? await ConnectAsync().ConfigureAwait(false);
                Volatile.Write(ref _multiplexer, multiplexer);
            }
            finally
            {
                _gate.Release();
            }
        }

        return multiplexer.GetDatabase();
    }

    private async Task<IConnectionMultiplexer> ConnectAsync()
    {
        if (_options.ConnectionMultiplexerFactory is { } factory)
        {
            return await factory().ConfigureAwait(false);
        }

        var configuration = _options.ConfigurationOptions ?? (_options.Configuration is { } text ? ConfigurationOptions.Parse(text) : null);
        if (configuration is null)
        {
            return _services.GetRequiredService<IConnectionMultiplexer>();
        }

        var multiplexer = await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
        _owned = true;
        return multiplexer;
    }

    public async ValueTask DisposeAsync()
    {
        if (_owned && _multiplexer is { } multiplexer)
        {
            await multiplexer.CloseAsync().ConfigureAwait(false);
            multiplexer.Dispose();
        }

        _gate.Dispose();
    }

    public void Dispose()
    {
        if (_owned)
        {
            _multiplexer?.Dispose();
        }

        _gate.Dispose();
    }
}
