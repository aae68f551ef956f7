namespace SystemMail;

/// <summary>
/// The connections of one <see cref="MailGeneration"/>: its slots bound how many are in use at once
/// (<see cref="SystemMailOptions.PoolSize"/>), and its idle ones wait for the next mail, the most recently used on top.
/// A connection belongs to the partition it was opened for, so it never carries a mail of other settings.
/// </summary>
/// <remarks>
/// The idle timer closes (QUIT) the connections idle for <see cref="SystemMailOptions.ConnectionIdleTimeout"/>, so a
/// quiet host does not hold connections the server will drop anyway. It runs on the <see cref="TimeProvider"/>, and
/// only while a connection is idle. Once retired, the partition keeps no connection: what comes back is closed.
/// </remarks>
internal sealed class PoolPartition : IDisposable
{
    private static readonly TimeSpan MinTimerDue = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan MaxTimerDue = TimeSpan.FromDays(1);

    private readonly Lock _lock = new();
    private readonly Stack<PooledConnection> _idle = new();
    private readonly SemaphoreSlim _slots;
    private readonly TimeProvider _time;
    private readonly TimeSpan _idleTimeout;
    private readonly ITimer _idleTimer;
    private bool _timerArmed;
    private string? _retiredBecause;
    private int _epoch;
    private string? _closedBecause;

    public PoolPartition(SystemMailOptions options, TimeProvider time)
    {
        _slots = new SemaphoreSlim(Math.Max(1, options.PoolSize));
        _idleTimeout = options.ConnectionIdleTimeout;
        _time = time;
        _idleTimer = time.CreateTimer(static state => ((PoolPartition)state!).CloseExpiredIdle(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Gets how many open connections wait idle.</summary>
    public int IdleCount
    {
        get
        {
            lock (_lock)
            {
                return _idle.Count;
            }
        }
    }

    /// <summary>
    /// Gets the partition's epoch: read it before opening a connection and give it to the connection
    /// (<see cref="PooledConnection.Epoch"/>); <see cref="CloseAll"/> starts a new one, and a connection of an older
    /// epoch is closed when it comes back.
    /// </summary>
    public int Epoch => Volatile.Read(ref _epoch);

    /// <summary>Waits for one of the <see cref="SystemMailOptions.PoolSize"/> slots; give it back with <see cref="ReleaseSlot"/>.</summary>
    public Task WaitForSlotAsync(CancellationToken cancellationToken) => _slots.WaitAsync(cancellationToken);

    /// <summary>Takes a slot when one is free now, without waiting; give it back with <see cref="ReleaseSlot"/>.</summary>
    public bool TryTakeSlot() => _slots.Wait(0, CancellationToken.None);

    public void ReleaseSlot() => _slots.Release();

    /// <summary>
    /// Takes the most recently used idle connection that is still open and idle for less than the timeout; the others
    /// found on the way are closed. <see langword="null"/> when there is none.
    /// </summary>
    public PooledConnection? TakeIdle()
    {
        List<PooledConnection>? stale = null;
        PooledConnection? found = null;
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            while (_idle.TryPop(out var candidate))
            {
                if (candidate.Client.IsConnected && _time.GetElapsedTime(candidate.LastUsed, now) < _idleTimeout)
                {
                    found = candidate;
                    break;
                }

                (stale ??= []).Add(candidate);
            }
        }

        foreach (var connection in stale ?? [])
        {
            _ = connection.QuitAsync(connection.Client.IsConnected ? "idle too long" : "closed by the server");
        }

        return found;
    }

    /// <summary>
    /// Puts a connection back idle, unless the server closed it or the partition was retired while it was sending: then
    /// it is closed now rather than left open, logged in with settings no longer current. Checked and pushed under the
    /// lock, so a retirement cannot slip between.
    /// </summary>
    public void Return(PooledConnection connection)
    {
        string reason;
        lock (_lock)
        {
            reason = _retiredBecause
                ?? (connection.Epoch != _epoch ? _closedBecause : null)
                ?? (connection.Client.IsConnected ? string.Empty : "closed by the server");
            if (reason.Length == 0)
            {
                connection.LastUsed = _time.GetTimestamp();
                _idle.Push(connection);
                if (!_timerArmed)
                {
                    ArmIdleTimer(_idleTimeout);
                }

                return;
            }
        }

        _ = connection.QuitAsync(reason);
    }

    /// <summary>Keeps no connection from now on and stops the idle timer; returns the idle connections, for the caller to close.</summary>
    /// <param name="reason">Why, as logged when a connection in use comes back and is closed.</param>
    public IReadOnlyList<PooledConnection> Retire(string reason)
    {
        List<PooledConnection> idle;
        lock (_lock)
        {
            if (_retiredBecause is not null)
            {
                return [];
            }

            _retiredBecause = reason;
            idle = [.. _idle];
            _idle.Clear();
        }

        // Disposed after the flag is set under the lock: nothing arms the timer again.
        _idleTimer.Dispose();
        return idle;
    }

    /// <summary>
    /// Closes every connection opened so far, without retiring the partition: the idle ones now (QUIT), the ones in use
    /// when they come back; connections opened from now on are kept as usual. For credentials that stopped being
    /// valid while the settings did not change (OAuth2 tokens cleared or refused).
    /// </summary>
    /// <param name="reason">Why, as logged for each connection closed.</param>
    public void CloseAll(string reason)
    {
        List<PooledConnection> idle;
        lock (_lock)
        {
            _closedBecause = reason;
            Interlocked.Increment(ref _epoch);
            idle = [.. _idle];
            _idle.Clear();
        }

        foreach (var connection in idle)
        {
            _ = connection.QuitAsync(reason);
        }
    }

    /// <summary>Retires the partition and closes its idle connections at once, without QUIT.</summary>
    public void Dispose()
    {
        foreach (var connection in Retire("disposed"))
        {
            connection.Close("disposed");
        }
    }

    /// <summary>
    /// Closes the connections idle for the timeout or longer, then sets the timer again for the oldest one still idle,
    /// if any: a connection taken and returned meanwhile only makes the timer fire early.
    /// </summary>
    private void CloseExpiredIdle()
    {
        List<PooledConnection>? expired = null;
        lock (_lock)
        {
            _timerArmed = false;
            if (_retiredBecause is not null || _idle.Count == 0)
            {
                return;
            }

            var now = _time.GetTimestamp();
            var kept = new List<PooledConnection>(_idle.Count);
            var nextDue = TimeSpan.MaxValue;
            // The stack pops the most recently used first; kept is rebuilt in that order and pushed back reversed.
            while (_idle.TryPop(out var connection))
            {
                var idleFor = _time.GetElapsedTime(connection.LastUsed, now);
                if (idleFor >= _idleTimeout)
                {
                    (expired ??= []).Add(connection);
                }
                else
                {
                    kept.Add(connection);
                    nextDue = TimeSpan.FromTicks(Math.Min(nextDue.Ticks, (_idleTimeout - idleFor).Ticks));
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
            _ = connection.QuitAsync("idle too long");
        }
    }

    /// <summary>Sets the idle timer; called under the lock.</summary>
    private void ArmIdleTimer(TimeSpan due)
    {
        // A System.Threading timer takes at most about 49 days; a day keeps far from that.
        var clamped = due < MinTimerDue ? MinTimerDue : due > MaxTimerDue ? MaxTimerDue : due;
        _idleTimer.Change(clamped, Timeout.InfiniteTimeSpan);
        _timerArmed = true;
    }
}
