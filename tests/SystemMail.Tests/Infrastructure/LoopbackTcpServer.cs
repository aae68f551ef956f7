using System.Net;
using System.Net.Sockets;

namespace SystemMail.Tests.Infrastructure;

/// <summary>
/// A TCP server on 127.0.0.1, on a port the operating system picks: it accepts connections until disposed and hands
/// each to <see cref="ServeAsync"/>. What it says on a connection is the derived server's.
/// </summary>
public abstract class LoopbackTcpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private Task _acceptLoop = Task.CompletedTask;
    private int _accepted;

    /// <summary>Gets the port it listens on.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Gets how many connections it accepted.</summary>
    public int AcceptedConnections => Volatile.Read(ref _accepted);

    public async ValueTask DisposeAsync()
    {
        OnStopping();
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        OnStopped();
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts listening; the derived server's factory calls it once it is constructed.</summary>
    protected void Listen()
    {
        _listener.Start();
        _acceptLoop = AcceptAsync(_stop.Token);
    }

    /// <summary>Serves one accepted connection; runs on its own, and owns <paramref name="socket"/>.</summary>
    protected abstract Task ServeAsync(Socket socket, CancellationToken cancellationToken);

    /// <summary>Called before the server stops accepting.</summary>
    protected virtual void OnStopping()
    {
    }

    /// <summary>Called once the server accepts no more connections.</summary>
    protected virtual void OnStopped()
    {
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

            Interlocked.Increment(ref _accepted);
            _ = ServeAsync(socket, cancellationToken);
        }
    }
}
