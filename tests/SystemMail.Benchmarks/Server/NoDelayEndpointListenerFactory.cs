using System.Net;
using System.Net.Sockets;
using SmtpServer;
using SmtpServer.IO;
using SmtpServer.Net;

namespace SystemMail.Benchmarks.Server;

/// <summary>
/// SmtpServer's endpoint listener with the one change the benchmark needs: accepted sockets get
/// <see cref="Socket.NoDelay"/> (TCP_NODELAY), so a reply is sent at once instead of waiting for the client's
/// delayed ACK of the reply before it.
/// </summary>
/// <remarks>
/// SmtpServer answers each command with its own write and flush (<c>WriteReplyAsync</c>). When a client pipelines
/// <c>MAIL FROM</c> and <c>RCPT TO</c>, the server writes two small replies back to back; with Nagle's algorithm on
/// (the default for an accepted socket) the second waits until the first is acknowledged, and the client, which
/// has nothing to send until it has both replies, acknowledges only when its delayed-ACK timer fires (40 ms on
/// Linux). The stock <c>EndpointListener</c> never sets <c>NoDelay</c>, and its pipe type is internal, so this
/// listener accepts the socket itself and hands SmtpServer a pipe of its own.
/// With <c>noDelay: false</c> it behaves as the stock listener does, for the before/after check.
/// </remarks>
internal sealed class NoDelayEndpointListenerFactory(bool noDelay, PipeliningProbe? probe) : IEndpointListenerFactory
{
    private readonly TaskCompletionSource<IPEndPoint> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Gets the address the listener bound, once it listens (port 0 in the definition means "any free port").</summary>
    public Task<IPEndPoint> Started => _started.Task;

    public IEndpointListener CreateListener(IEndpointDefinition endpointDefinition)
    {
        var listener = new TcpListener(endpointDefinition.Endpoint);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start(backlog: 512);
        _started.TrySetResult((IPEndPoint)listener.LocalEndpoint);
        return new Listener(listener, noDelay, probe);
    }

    private sealed class Listener(TcpListener listener, bool noDelay, PipeliningProbe? probe) : IEndpointListener
    {
        public async Task<ISecurableDuplexPipe> GetPipeAsync(ISessionContext context, CancellationToken cancellationToken)
        {
            var socket = await listener.AcceptSocketAsync(cancellationToken).ConfigureAwait(false);
            socket.NoDelay = noDelay;
            context.Properties[EndpointListener.LocalEndPointKey] = listener.LocalEndpoint;
            context.Properties[EndpointListener.RemoteEndPointKey] = socket.RemoteEndPoint!;
            return new SecurableSocketPipe(socket, probe);
        }

        public void Dispose() => listener.Stop();
    }
}
