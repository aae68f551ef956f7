using System.Net.Sockets;

namespace SystemMail.Tests.Infrastructure;

/// <summary>A TCP server on 127.0.0.1 that accepts connections and never sends a byte: a server that does not answer.</summary>
public sealed class SilentTcpServer : LoopbackTcpServer
{
    private readonly List<Socket> _accepted = [];
    private readonly Lock _lock = new();

    private SilentTcpServer()
    {
    }

    /// <summary>Starts listening on a port the operating system picks.</summary>
    /// <returns>The running server.</returns>
    public static SilentTcpServer Start()
    {
        var server = new SilentTcpServer();
        server.Listen();
        return server;
    }

    protected override Task ServeAsync(Socket socket, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            // Kept open and never read or written: the client waits for a greeting that never comes.
            _accepted.Add(socket);
        }

        return Task.CompletedTask;
    }

    protected override void OnStopped()
    {
        lock (_lock)
        {
            foreach (var socket in _accepted)
            {
                socket.Dispose();
            }

            _accepted.Clear();
        }
    }
}
