using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace SystemMail.Benchmarks.Network;

/// <summary>
/// A TCP relay on 127.0.0.1 that stands for a distant server: everything it forwards, in either direction,
/// arrives <see cref="OneWayDelay"/> after it was sent, so each request/response round trip costs twice that.
/// </summary>
/// <remarks>
/// A real connection also pays for TCP's handshake before the server can greet: SYN, SYN-ACK and ACK each cross
/// the network once. Loopback completes that handshake at once, so the relay waits three one-way delays before it
/// connects to the server; the greeting then crosses once more, as on a real network.
/// Bytes keep their order and their timing: each read is queued with the time it is due and written then.
/// </remarks>
internal sealed class LatencyRelay : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly List<Task> _connections = [];

    public LatencyRelay(IPEndPoint target, TimeSpan oneWayDelay)
    {
        _target = target;
        OneWayDelay = oneWayDelay;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start(backlog: 512);
        Endpoint = (IPEndPoint)_listener.LocalEndpoint;
        _accepting = AcceptAsync();
    }

    public IPEndPoint Endpoint { get; }

    public TimeSpan OneWayDelay { get; }

    public TimeSpan RoundTrip => 2 * OneWayDelay;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        try
        {
            await _accepting.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        Task[] open;
        lock (_connections)
        {
            open = [.. _connections];
        }

        await Task.WhenAll(open).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var connection = RelayAsync(client);
            lock (_connections)
            {
                _connections.RemoveAll(t => t.IsCompleted);
                _connections.Add(connection);
            }
        }
    }

    private async Task RelayAsync(Socket client)
    {
        using (client)
        using (var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            client.NoDelay = true;
            server.NoDelay = true;
            try
            {
                // SYN, SYN-ACK, ACK: the server sees the connection three one-way trips after the client asked.
                await Task.Delay(3 * OneWayDelay, _stop.Token).ConfigureAwait(false);
                await server.ConnectAsync(_target, _stop.Token).ConfigureAwait(false);
                await Task.WhenAll(PumpAsync(client, server), PumpAsync(server, client)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // One side went away or the relay stops: both sockets close.
            }
        }
    }

    /// <summary>Reads from one side and writes to the other, each chunk when its delay is up; an end of stream is delayed too.</summary>
    private async Task PumpAsync(Socket from, Socket to)
    {
        var queue = Channel.CreateUnbounded<Chunk>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var writer = WriteDueAsync(queue.Reader, to);
        try
        {
            while (true)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
                int read;
                try
                {
                    read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw;
                }

                var due = Stopwatch.GetTimestamp() + (long)(OneWayDelay.TotalSeconds * Stopwatch.Frequency);
                queue.Writer.TryWrite(new Chunk(buffer, read, due));
                if (read == 0)
                {
                    break;
                }
            }
        }
        finally
        {
            queue.Writer.TryComplete();
            await writer.ConfigureAwait(false);
        }
    }

    private async Task WriteDueAsync(ChannelReader<Chunk> queue, Socket to)
    {
        var broken = false;
        await foreach (var chunk in queue.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), chunk.Due);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _stop.Token).ConfigureAwait(false);
                }

                if (broken)
                {
                    continue;
                }

                if (chunk.Length == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    continue;
                }

                var sent = 0;
                while (sent < chunk.Length)
                {
                    sent += await to.SendAsync(chunk.Buffer.AsMemory(sent, chunk.Length - sent), SocketFlags.None, _stop.Token).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                broken = true;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk.Buffer);
            }
        }
    }

    private readonly record struct Chunk(byte[] Buffer, int Length, long Due);
}
