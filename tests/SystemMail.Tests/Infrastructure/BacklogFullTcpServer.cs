using System.Net;
using System.Net.Sockets;

namespace SystemMail.Tests.Infrastructure;

/// <summary>
/// A port on 127.0.0.1 where a TCP connect hangs, as it does when a hosting provider's firewall drops the packets of
/// a blocked port: a listener that never accepts, its accept queue filled so the kernel drops every further SYN.
/// </summary>
public sealed class BacklogFullTcpServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly List<Socket> _queued = [];

    private BacklogFullTcpServer(Socket listener)
    {
        _listener = listener;
    }

    /// <summary>Gets the port where a connect hangs.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    /// <summary>Listens with the smallest backlog and connects until a connect no longer completes.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The server, its accept queue full.</returns>
    /// <exception cref="InvalidOperationException">The operating system kept accepting connections.</exception>
    public static async Task<BacklogFullTcpServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var server = new BacklogFullTcpServer(listener);
        for (var attempt = 0; attempt < 16; attempt++)
        {
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMilliseconds(300));
            try
            {
                await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, server.Port), timeout.Token);
                server._queued.Add(client);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // This connect hung: the queue is full.
                client.Dispose();
                return server;
            }
        }

        await server.DisposeAsync();
        throw new InvalidOperationException("The accept queue never filled: this operating system does not drop SYNs of a full queue.");
    }

    public ValueTask DisposeAsync()
    {
        foreach (var socket in _queued)
        {
            socket.Dispose();
        }

        _listener.Dispose();
        return ValueTask.CompletedTask;
    }
}
