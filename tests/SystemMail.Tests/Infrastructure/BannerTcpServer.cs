using System.Net.Sockets;
using System.Text;

namespace SystemMail.Tests.Infrastructure;

/// <summary>
/// A TCP server on 127.0.0.1 that is not an SMTP server: on each connection it writes a fixed text (an SSH banner, an
/// HTTP response) and keeps the connection open until the client closes it.
/// </summary>
public sealed class BannerTcpServer : LoopbackTcpServer
{
    public const string SshBanner = "SSH-2.0-OpenSSH_9.6\r\n";

    public const string HttpResponse = "HTTP/1.1 400 Bad Request\r\nServer: nginx/1.25.3\r\nContent-Type: text/html\r\nContent-Length: 22\r\nConnection: close\r\n\r\n<h1>400 Bad Request</h1>";

    private readonly byte[] _banner;

    private BannerTcpServer(string banner)
    {
        _banner = Encoding.ASCII.GetBytes(banner);
    }

    public static BannerTcpServer Start(string banner)
    {
        var server = new BannerTcpServer(banner);
        server.Listen();
        return server;
    }

    protected override async Task ServeAsync(Socket socket, CancellationToken cancellationToken)
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
