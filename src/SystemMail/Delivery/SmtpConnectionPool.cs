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
    private const long NotArmed = long.MaxValue;
    private static readonly TimeSpan MinTimerDue = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan MaxTimerDue = TimeSpan.FromDays(1);

    private readonly SmtpSettingsSource _settings;
    private readonly SmtpConnector _connector;
    private readonly SystemMailTelemetry _telemetry;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Stack<Connection> _idle = new();
    private readonly IDisposable? _changeSubscription;
    private readonly ITimer _idleTimer;
    private long _idleTimerDueAt = NotArmed;
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
        _idleTimer = time.CreateTimer(static state => ((SmtpConnectionPool)state!).CloseExpiredIdle(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
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
                    connection.Client.StartTransaction();
                    var reply = await connection.Client.SendAsync(message, timeout.Token).ConfigureAwait(false);
                    Return(connection);
                    return reply;
                }
                catch (Exception ex) when (reused && !connection.Client.SenderAccepted && !cancellationToken.IsCancellationRequested &&
                                           SmtpFailureClassifier.IsDroppedConnection(ex))
                {
                    // The server closed the idle connection (its own idle timeout) before it answered this mail's
                    // MAIL FROM: the mail was not accepted, so it is sent once on a fresh connection. A connection lost
                    // later may have delivered the mail already; that failure goes to the retry policy, which the host
                    // can turn off.
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
        _idleTimer.Dispose();
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
        await _idleTimer.DisposeAsync().ConfigureAwait(false);
        foreach (var connection in TakeAllIdle())
        {
            await QuitAsync(connection, "disposed").ConfigureAwait(false);
        }
    }

    private Generation CurrentGeneration()
    {
        var current = Volatile.Read(ref _current);
        if (current is not null && ReferenceEquals(current.Settings, _settings.Current))
        {
            return current;
        }

        lock (_lock)
        {
            // Read again under the lock: settings read before it may already be older than the generation another
            // thread installed meanwhile, and must not replace it.
            var settings = _settings.Current;
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

    /// <summary>
    /// Puts a connection back in the pool, unless the pool is disposed or the settings changed while it was sending:
    /// the change drained the idle connections before this one came back, so it is closed now rather than left open,
    /// logged in with the old settings. Checked and pushed under the lock, so a Dispose or drain cannot slip between.
    /// </summary>
    private void Return(Connection connection)
    {
        string reason;
        lock (_lock)
        {
            reason = _disposed ? "disposed"
                : !connection.Client.IsConnected ? "closed by the server"
                : !IsCurrent(connection.Settings) ? "settings changed"
                : string.Empty;
            if (reason.Length == 0)
            {
                connection.LastUsed = _time.GetTimestamp();
                _idle.Push(connection);
                // Armed already for a later time only after a reload shortened ConnectionIdleTimeout.
                var timeout = connection.Settings.Options.ConnectionIdleTimeout;
                if (DueAt(connection.LastUsed, timeout) < _idleTimerDueAt)
                {
                    ArmIdleTimer(timeout);
                }

                return;
            }
        }

        _ = QuitAsync(connection, reason);
    }

    /// <summary>
    /// Closes (with QUIT) the idle connections that waited <see cref="SystemMailOptions.ConnectionIdleTimeout"/> or
    /// longer, so a quiet host does not hold connections the server will drop anyway; then sets the timer again for
    /// the oldest connection still idle, if any. The timer only runs while a connection is idle.
    /// </summary>
    private void CloseExpiredIdle()
    {
        List<Connection>? expired = null;
        lock (_lock)
        {
            _idleTimerDueAt = NotArmed;
            if (_disposed || _idle.Count == 0)
            {
                return;
            }

            var now = _time.GetTimestamp();
            var kept = new List<Connection>(_idle.Count);
            var nextDue = TimeSpan.MaxValue;
            // The stack pops the most recently used first; kept is rebuilt in that order and pushed back reversed.
            while (_idle.TryPop(out var connection))
            {
                var limit = connection.Settings.Options.ConnectionIdleTimeout;
                var idleFor = _time.GetElapsedTime(connection.LastUsed, now);
                if (idleFor >= limit)
                {
                    (expired ??= []).Add(connection);
                }
                else
                {
                    kept.Add(connection);
                    nextDue = TimeSpan.FromTicks(Math.Min(nextDue.Ticks, (limit - idleFor).Ticks));
                }
            }

            for (var i = kept.Count - 1; i >= 0; i--)
            {
                _idle.Push(kept[i]);
            }

            if (kept.Count > 0)
            {
                ArmIdleTimer(nextDue);
            }
        }

        foreach (var connection in expired ?? [])
        {
            _ = QuitAsync(connection, "idle too long");
        }
    }

    /// <summary>Sets the idle timer; called under the lock.</summary>
    private void ArmIdleTimer(TimeSpan due)
    {
        var clamped = Clamp(due);
        _idleTimer.Change(clamped, Timeout.InfiniteTimeSpan);
        _idleTimerDueAt = DueAt(_time.GetTimestamp(), clamped);
    }

    private long DueAt(long from, TimeSpan after) => from + (long)(Clamp(after).TotalSeconds * _time.TimestampFrequency);

    // A System.Threading timer takes at most about 49 days; a day keeps the timestamp arithmetic far from overflow.
    private static TimeSpan Clamp(TimeSpan due) => due < MinTimerDue ? MinTimerDue : due > MaxTimerDue ? MaxTimerDue : due;

    private bool IsCurrent(SmtpSettings settings)
    {
        try
        {
            return ReferenceEquals(settings, _settings.Current);
        }
        catch (SystemMailException)
        {
            // The reloaded settings are invalid: nothing should stay connected with the old ones.
            return false;
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

    private sealed class Connection(SystemMailSmtpClient client, SmtpSettings settings)
    {
        public SystemMailSmtpClient Client { get; } = client;

        public SmtpSettings Settings { get; } = settings;

        public long LastUsed { get; set; }
    }

    private sealed class Generation(SmtpSettings settings)
    {
        public SmtpSettings Settings { get; } = settings;

        public SemaphoreSlim Slots { get; } = new(Math.Max(1, settings.Options.PoolSize));
    }
}
