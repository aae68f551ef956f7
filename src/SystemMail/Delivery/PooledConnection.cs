using Microsoft.Extensions.Logging;

namespace SystemMail;

/// <summary>One open, authenticated connection of the pool, and the two ways it ends: at once, or with QUIT.</summary>
internal sealed class PooledConnection
{
    private static readonly TimeSpan QuitTimeout = TimeSpan.FromSeconds(5);
    private readonly string _endpoint;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action _closed;
    private int _isClosed;

    /// <param name="client">The connected, authenticated client; the connection owns it.</param>
    /// <param name="endpoint">Where it is connected, for the logs.</param>
    /// <param name="time">The clock of the QUIT timeout.</param>
    /// <param name="logger">Where closing is logged.</param>
    /// <param name="closed">Called once, when the connection is closed.</param>
    public PooledConnection(SystemMailSmtpClient client, string endpoint, TimeProvider time, ILogger logger, Action closed)
    {
        Client = client;
        _endpoint = endpoint;
        _time = time;
        _logger = logger;
        _closed = closed;
    }

    public SystemMailSmtpClient Client { get; }

    /// <summary>Gets or sets the <see cref="PoolPartition.Epoch"/> read before the connection was opened.</summary>
    public int Epoch { get; init; }

    /// <summary>Gets or sets when the connection was last put back idle (a <see cref="TimeProvider"/> timestamp).</summary>
    public long LastUsed { get; set; }

    /// <summary>Closes the connection without a word to the server: after a failure its state is unknown.</summary>
    public void Close(string reason)
    {
        if (Interlocked.Exchange(ref _isClosed, 1) != 0)
        {
            return;
        }

        Client.Dispose();
        _closed();
        Log.ConnectionClosed(_logger, _endpoint, reason);
    }

    /// <summary>Says goodbye (QUIT), as a mail client does, then closes the connection; never throws.</summary>
    public async Task QuitAsync(string reason)
    {
        try
        {
            if (Client.IsConnected)
            {
                using var deadline = new Deadline(_time, QuitTimeout, CancellationToken.None);
                await Client.DisconnectAsync(quit: true, deadline.Token).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // A failed QUIT on a connection being thrown away is logged, never raised.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.CloseFailed(_logger, _endpoint, ex);
        }
        finally
        {
            Close(reason);
        }
    }
}
