using MailKit.Net.Smtp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;

namespace SystemMail;

/// <summary>
/// Keeps up to <see cref="SystemMailOptions.PoolSize"/> connected, authenticated clients and sends through them,
/// so a burst of mail costs one connect, TLS handshake and AUTH per connection, not per mail.
/// </summary>
internal sealed class SmtpConnectionPool : IAsyncDisposable, IDisposable
{
    private readonly SmtpSettingsSource _settings;
    private readonly SmtpConnector _connector;
    private readonly SystemMailTelemetry _telemetry;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Stack<Connection> _idle = new();
    private readonly IDisposable? _changeSubscription;
    private Generation? _current;
    private int _open;
    private bool _disposed;

    public SmtpConnectionPool(
        SmtpSettingsSource settings,
        SmtpConnector connector,
        TimeProvider time,
        SystemMailTelemetry telemetry,
        ILogger<SmtpConnectionPool>? logger = null)
    {
        _settings = settings;
        _connector = connector;
        _telemetry = telemetry;
        _time = time;
        _logger = logger ?? NullLogger<SmtpConnectionPool>.Instance;
        _changeSubscription = settings.OnChange(() => DrainIdle("settings changed"));
    }

    /// <summary>Gets how many connections are open now, idle or in use.</summary>
    public int OpenConnections => Volatile.Read(ref _open);

    /// <summary>Gets how many open connections wait idle in the pool.</summary>
    public int IdleConnections
    {
        get
        {
            lock (_lock)
            {
                return _idle.Count;
            }
        }
    }

    /// <summary>Gets the effective settings of the current options, rebuilt when the options change.</summary>
    public SmtpSettings CurrentSettings => CurrentGeneration().Settings;

    /// <summary>Sends a message on a pooled connection; returns the server's final reply.</summary>
    public async Task<string> SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposed, this);
        var generation = CurrentGeneration();
        var settings = generation.Settings;
        await generation.Slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        _telemetry.ConnectionsInUse.Add(1);
        try
        {
            var connection = TakeIdle(settings);
            var reused = connection is not null;
            while (true)
            {
                connection ??= await OpenAsync(settings, cancellationToken).ConfigureAwait(false);
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    timeout.CancelAfter(settings.Timeout);
                    var reply = await connection.Client.SendAsync(message, timeout.Token).ConfigureAwait(false);
                    Return(connection);
                    return reply;
                }
                catch (Exception ex) when (reused && !cancellationToken.IsCancellationRequested && SmtpFailureClassifier.IsDroppedConnection(ex))
                {
                    // The server closed the idle connection (its own idle timeout): the mail was not accepted,
                    // so it is sent once on a fresh connection.
                    Log.ReusedConnectionDropped(_logger, settings.Endpoint, ex);
                    Close(connection, "closed by the server while idle");
                    connection = null;
                    reused = false;
                }
                catch (Exception ex)
                {
                    // MailKit sends RSET after a refused command, so the connection stays usable; anything else
                    // (timeout, cancellation, I/O) leaves it in an unknown state.
                    if (ex is SmtpCommandException && connection.Client.IsConnected)
                    {
                        Return(connection);
                    }
                    else
                    {
                        Close(connection, ex is OperationCanceledException ? "cancelled" : "failed");
                    }

                    if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
                    {
                        throw;
                    }

                    throw SmtpFailureClassifier.Classify(ex, SmtpStage.Send, settings);
                }
            }
        }
        finally
        {
            _telemetry.ConnectionsInUse.Add(-1);
            generation.Slots.Release();
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _changeSubscription?.Dispose();
        foreach (var connection in TakeAllIdle())
        {
            Close(connection, "disposed");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _changeSubscription?.Dispose();
        foreach (var connection in TakeAllIdle())
        {
            await QuitAsync(connection, "disposed").ConfigureAwait(false);
        }
    }

    private Generation CurrentGeneration()
    {
        var settings = _settings.Current;
        var current = Volatile.Read(ref _current);
        if (current is not null && ReferenceEquals(current.Settings, settings))
        {
            return current;
        }

        lock (_lock)
        {
            if (_current is not null && ReferenceEquals(_current.Settings, settings))
            {
                return _current;
            }

            if (_current is not null)
            {
                Log.SettingsChanged(_logger, settings.Template.Id, settings.Endpoint);
            }

            var next = new Generation(settings);
            Volatile.Write(ref _current, next);
            return next;
        }
    }

    private async Task<Connection> OpenAsync(SmtpSettings settings, CancellationToken cancellationToken)
    {
        var client = await _connector.ConnectAsync(settings, protocolLogger: null, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _open);
        return new Connection(client, settings);
    }

    private Connection? TakeIdle(SmtpSettings settings)
    {
        List<Connection>? stale = null;
        Connection? found = null;
        lock (_lock)
        {
            while (_idle.TryPop(out var candidate))
            {
                var idleFor = _time.GetElapsedTime(candidate.LastUsed, _time.GetTimestamp());
                if (ReferenceEquals(candidate.Settings, settings) && candidate.Client.IsConnected &&
                    idleFor < settings.Options.ConnectionIdleTimeout)
                {
                    found = candidate;
                    break;
                }

                (stale ??= []).Add(candidate);
            }
        }

        foreach (var connection in stale ?? [])
        {
            _ = QuitAsync(connection, ReferenceEquals(connection.Settings, settings) ? "idle too long" : "settings changed");
        }

        return found;
    }

    private void Return(Connection connection)
    {
        if (_disposed || !ReferenceEquals(connection.Settings, Volatile.Read(ref _current)?.Settings) || !connection.Client.IsConnected)
        {
            _ = QuitAsync(connection, "settings changed");
            return;
        }

        connection.LastUsed = _time.GetTimestamp();
        lock (_lock)
        {
            _idle.Push(connection);
        }
    }

    private void DrainIdle(string reason)
    {
        foreach (var connection in TakeAllIdle())
        {
            _ = QuitAsync(connection, reason);
        }
    }

    private List<Connection> TakeAllIdle()
    {
        lock (_lock)
        {
            var all = _idle.ToList();
            _idle.Clear();
            return all;
        }
    }

    private void Close(Connection connection, string reason)
    {
        connection.Client.Dispose();
        Interlocked.Decrement(ref _open);
        Log.ConnectionClosed(_logger, connection.Settings.Endpoint, reason);
    }

    private async Task QuitAsync(Connection connection, string reason)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            if (connection.Client.IsConnected)
            {
                await connection.Client.DisconnectAsync(quit: true, timeout.Token).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // A failed QUIT on a connection being thrown away is logged, never raised.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.CloseFailed(_logger, connection.Settings.Endpoint, ex);
        }
        finally
        {
            Close(connection, reason);
        }
    }

    private sealed class Connection(SmtpClient client, SmtpSettings settings)
    {
        public SmtpClient Client { get; } = client;

        public SmtpSettings Settings { get; } = settings;

        public long LastUsed { get; set; }
    }

    private sealed class Generation(SmtpSettings settings)
    {
        public SmtpSettings Settings { get; } = settings;

        public SemaphoreSlim Slots { get; } = new(Math.Max(1, settings.Options.PoolSize));
    }
}
