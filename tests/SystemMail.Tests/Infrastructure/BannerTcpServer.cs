using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SystemMail.Tests.Infrastructure;

/// <summary>
/// A TCP server on 127.0.0.1 that is not an SMTP server: on each connection it writes a fixed text (an SSH banner, an
/// HTTP response) and keeps the connection open until the client closes it.
/// </summary>
public sealed class BannerTcpServer : IAsyncDisposable
{
    public const string SshBanner = "SSH-2.0-OpenSSH_9.6\r\n";

    public const string HttpResponse = "HTTP/1.1 400 Bad Request\r\nServer: nginx/1.25.3\r\nContent-Type: text/html\r\nContent-Length: 22\r\nConnection: close\r\n\r\n<h1>400 Bad Request</h1>";

    private readonly TcpListener _listener;
    private readonly byte[] _banner;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private int _accepted;

    private BannerTcpServer(TcpListener listener, string banner)
    {
        _listener = listener;
        _banner = Encoding.ASCII.GetBytes(banner);
        _acceptLoop = AcceptAsync(_stop.Token);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int AcceptedConnections => Volatile.Read(ref _accepted);

    public static BannerTcpServer Start(string banner)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new BannerTcpServer(listener, banner);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var socket = await _listener.AcceptSocketAsync(cancellationToken);
            Interlocked.Increment(ref _accepted);
            _ = ServeAsync(socket, cancellationToken);
        }
    }

    private async Task ServeAsync(Socket socket, CancellationToken cancellationToken)
    {
        using (socket)
        {
            try
            {
                await socket.SendAsync(_banner, SocketFlags.None, cancellationToken);
                var buffer = new byte[1024];
                while (await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken) > 0)
                {
                    // Whatever the client says goes unanswered.
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }
    }
}
