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
internal sealed class SmtpConnectionPool : IMailTransport
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
        if (!partition.TryTakeSlot())
        {
            await WaitForSlotAsync(generation, cancellationToken).ConfigureAwait(false);
        }

        _telemetry.ConnectionsInUse.Add(1);
        try
        {
            var connection = partition.TakeIdle();
            var reused = connection is not null;
            if (connection is not null)
            {
                try
                {
                    await _connector.CheckLoginAsync(settings, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    // Tokens cleared meanwhile closed the partition's connections: this one closes as it comes back.
                    partition.Return(connection);
                    throw;
                }
            }

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
                    // Not the exception: MailKit's words for a dropped connection quote the last reply it read, the
                    // previous mail's ("queued as ..."), as if it were this one's.
                    var reason = DropReason(ex);
                    Log.ReusedConnectionDropped(_logger, settings.Endpoint, reason);

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

    /// <summary>
    /// Waits for a slot at most <see cref="SmtpSettings.Timeout"/> (with a sending limit in effect, at least its
    /// <see cref="SmtpRateLimitOptions.QueueTimeout"/>): a server that holds every pooled connection does not hold the callers forever.
    /// </summary>
    private async Task WaitForSlotAsync(MailGeneration generation, CancellationToken cancellationToken)
    {
        var settings = generation.Settings;
        var limit = settings.Timeout;
        if (generation.Limiter is not null && settings.Options.RateLimit is { QueueTimeout: var queueTimeout } && queueTimeout > limit)
        {
            limit = queueTimeout;
        }

        using var deadline = new Deadline(_time, limit, cancellationToken);
        try
        {
            await generation.Connections.WaitForSlotAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SystemMailException(
                SystemMailErrorKind.Timeout,
                $"No pooled connection to {settings.Endpoint} came free within {limit.TotalSeconds:0.#} s (PoolSize {settings.Options.PoolSize}).",
                Hints.PoolBusy(settings.Endpoint, limit),
                innerException: ex);
        }
    }

    /// <summary>Why a reused connection was found closed, in words of SystemMail's: a 421 reply's code, or how it ended.</summary>
    private static string DropReason(Exception exception) => exception switch
    {
        SmtpCommandException command => $"reply {(int)command.StatusCode}",
        IOException => "connection reset",
        _ => "disconnected",
    };

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
