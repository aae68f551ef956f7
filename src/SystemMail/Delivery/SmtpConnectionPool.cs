using MailKit.Net.Smtp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;

namespace SystemMail;

/// <summary>
/// Sends on connected, authenticated clients that stay open between mails, so a burst of mail costs one connect, TLS
/// handshake and AUTH per connection, not per mail. Each send runs in a <see cref="MailGeneration"/>'s partition:
/// its slots bound the connections in use (<see cref="SystemMailOptions.PoolSize"/>), and only its idle connections
/// are reused, so a connection never carries a mail of other settings.
/// </summary>
internal sealed class SmtpConnectionPool
{
    private readonly SmtpSettingsSource _generations;
    private readonly SmtpConnector _connector;
    private readonly SystemMailTelemetry _telemetry;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action _closed;
    private int _open;

    public SmtpConnectionPool(
        SmtpSettingsSource generations,
        SmtpConnector connector,
        TimeProvider time,
        SystemMailTelemetry telemetry,
        ILogger<SmtpConnectionPool>? logger = null)
    {
        _generations = generations;
        _connector = connector;
        _telemetry = telemetry;
        _time = time;
        _logger = logger ?? NullLogger<SmtpConnectionPool>.Instance;
        _closed = () => Interlocked.Decrement(ref _open);
    }

    /// <summary>Gets how many connections are open now, idle or in use, of every generation.</summary>
    public int OpenConnections => Volatile.Read(ref _open);

    /// <summary>Gets how many open connections of the current generation wait idle.</summary>
    public int IdleConnections => _generations.Installed?.Connections.IdleCount ?? 0;

    /// <summary>Sends a message on a connection of <paramref name="generation"/>; returns the server's final reply.</summary>
    public async Task<string> SendAsync(MailGeneration generation, MimeMessage message, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var settings = generation.Settings;
        var partition = generation.Connections;
        await partition.WaitForSlotAsync(cancellationToken).ConfigureAwait(false);
        _telemetry.ConnectionsInUse.Add(1);
        try
        {
            var connection = partition.TakeIdle();
            var reused = connection is not null;
            while (true)
            {
                connection ??= await OpenAsync(settings, partition.Epoch, cancellationToken).ConfigureAwait(false);
                if (SmtpUtf8Check.Check(connection.Client, message, settings.Endpoint) is { } needsSmtpUtf8)
                {
                    // Nothing was sent on the connection: it stays in the pool.
                    partition.Return(connection);
                    throw needsSmtpUtf8;
                }

                try
                {
                    using var deadline = new Deadline(_time, settings.Timeout, cancellationToken);
                    connection.Client.StartTransaction();
                    var reply = await connection.Client.SendAsync(message, deadline.Token).ConfigureAwait(false);
                    partition.Return(connection);
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
                    connection.Close("closed by the server while idle");
                    connection = null;
                    reused = false;
                }
                catch (Exception ex)
                {
                    // MailKit sends RSET after a refused command, so the connection stays usable; anything else
                    // (timeout, cancellation, I/O) leaves it in an unknown state.
                    if (ex is SmtpCommandException && connection.Client.IsConnected)
                    {
                        partition.Return(connection);
                    }
                    else
                    {
                        connection.Close(ex is OperationCanceledException ? "cancelled" : "failed");
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
            partition.ReleaseSlot();
        }
    }

    /// <param name="settings">The settings to connect with.</param>
    /// <param name="epoch">The partition's epoch, read before the credentials are: a connection opened with credentials cleared meanwhile is not kept.</param>
    /// <param name="cancellationToken">Cancels the connect.</param>
    private async Task<PooledConnection> OpenAsync(SmtpSettings settings, int epoch, CancellationToken cancellationToken)
    {
        var client = await _connector.ConnectAsync(settings, protocolLogger: null, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _open);
        return new PooledConnection(client, settings.Endpoint, _time, _logger, _closed) { Epoch = epoch };
    }
}
