using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace SystemMail.Benchmarks.Network;

/// <summary>
/// A TCP relay on 127.0.0.1 that stands for a distant server: everything it forwards, in either direction,
/// arrives <see cref="OneWayDelay"/> after it was sent, so each request/response round trip costs twice that.
/// </summary>
/// <remarks>
/// <para>
/// A real connection also pays for TCP's handshake before the server can greet: SYN, SYN-ACK and ACK each cross
/// the network once. Loopback completes that handshake at once, so the relay waits three one-way delays before it
/// connects to the server; the greeting then crosses once more, as on a real network.
/// </para>
/// <para>
/// Every chunk read is stamped with the time it is due and handed to one delivery thread, which sleeps with
/// microsecond precision (timer-based waits in .NET overshoot by a millisecond or two, which would add up to 20%
/// to a 20 ms round trip). The delay is the same for every chunk, so delivery in arrival order is delivery in due
/// order, and each connection's bytes keep their order.
/// </para>
/// </remarks>
internal sealed class LatencyRelay : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly List<Task> _connections = [];
    private readonly ConcurrentQueue<Delivery> _due = new();
    private readonly SemaphoreSlim _queued = new(0);
    private readonly Thread _delivery;
    private readonly long _delayTicks;

    public LatencyRelay(IPEndPoint target, TimeSpan oneWayDelay)
    {
        _target = target;
        OneWayDelay = oneWayDelay;
        _delayTicks = (long)(oneWayDelay.TotalSeconds * Stopwatch.Frequency);
        _delivery = new Thread(Deliver) { IsBackground = true, Name = "latency relay", Priority = ThreadPriority.AboveNormal };
        _delivery.Start();
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start(backlog: 512);
        Endpoint = (IPEndPoint)_listener.LocalEndpoint;
        _accepting = AcceptAsync();
    }

    public IPEndPoint Endpoint { get; }

    public TimeSpan OneWayDelay { get; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _accepting.ConfigureAwait(false);
        Task[] open;
        lock (_connections)
        {
            open = [.. _connections];
        }

        await Task.WhenAll(open).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        _queued.Release();
        _delivery.Join(TimeSpan.FromSeconds(5));
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
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException)
            {
                return;
            }

            await Task.WhenAll(PumpAsync(client, server), PumpAsync(server, client)).ConfigureAwait(false);
        }
    }

    /// <summary>Reads one direction and queues each chunk for delivery; returns once its end has been delivered.</summary>
    private async Task PumpAsync(Socket from, Socket to)
    {
        var delivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        while (true)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
            int read;
            try
            {
                read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                read = -1;
            }

            Enqueue(new Delivery(to, buffer, read, Stopwatch.GetTimestamp() + _delayTicks, read <= 0 ? delivered : null));
            if (read <= 0)
            {
                break;
            }
        }

        await delivered.Task.ConfigureAwait(false);
    }

    private void Enqueue(Delivery delivery)
    {
        _due.Enqueue(delivery);
        _queued.Release();
    }

    private void Deliver()
    {
        while (true)
        {
            _queued.Wait();
            if (!_due.TryDequeue(out var delivery))
            {
                return;
            }

            SleepUntil(delivery.Due);
            try
            {
                if (delivery.Length > 0)
                {
                    var sent = 0;
                    while (sent < delivery.Length)
                    {
                        sent += delivery.To.Send(delivery.Buffer, sent, delivery.Length - sent, SocketFlags.None);
                    }
                }
                else
                {
                    // End of stream passes the end on; a failed read ends both ways.
                    delivery.To.Shutdown(delivery.Length == 0 ? SocketShutdown.Send : SocketShutdown.Both);
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // That connection is gone; its pumps end on their own.
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(delivery.Buffer);
                delivery.Completed?.TrySetResult();
            }
        }
    }

    private static void SleepUntil(long due)
    {
        while (true)
        {
            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }

            if (OperatingSystem.IsWindows())
            {
                Thread.Sleep(remaining);
            }
            else
            {
                _ = NativeSleep.Sleep((uint)Math.Max(1, remaining.TotalMicroseconds));
            }
        }
    }

    private readonly record struct Delivery(Socket To, byte[] Buffer, int Length, long Due, TaskCompletionSource? Completed);

    private static class NativeSleep
    {
        [DllImport("libc", EntryPoint = "usleep")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Sleep(uint microseconds);
    }
}
