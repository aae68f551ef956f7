using System.Net;
using System.Net.Sockets;

namespace SystemMail.Tests.Infrastructure;

/// <summary>A TCP server on 127.0.0.1 that accepts connections and never sends a byte: a server that does not answer.</summary>
public sealed class SilentTcpServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly List<Socket> _accepted = [];
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;

    private SilentTcpServer(TcpListener listener)
    {
        _listener = listener;
        _acceptLoop = AcceptAsync(_stop.Token);
    }

    /// <summary>Gets the port it listens on.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Gets how many connections it accepted.</summary>
    public int AcceptedConnections
    {
        get
        {
            lock (_lock)
            {
                return _accepted.Count;
            }
        }
    }

    /// <summary>Starts listening on a port the operating system picks.</summary>
    /// <returns>The running server.</returns>
    public static SilentTcpServer Start()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new SilentTcpServer(listener);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
        }

        lock (_lock)
        {
            foreach (var socket in _accepted)
            {
                socket.Dispose();
            }

            _accepted.Clear();
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_lock)
            {
                // Kept open and never read or written: the client waits for a greeting that never comes.
                _accepted.Add(socket);
            }
        }
    }
}
