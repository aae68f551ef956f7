using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SystemMail.Tests.Infrastructure;

/// <summary>The test proxy itself, driven byte by byte: it tunnels to loopback only and answers refusals as RFC 9110 and RFC 1928 say.</summary>
public sealed class ProxyTestServerTests
{
    [Fact]
    public async Task HttpConnect_LoopbackTarget_Answers200AndPassesBytesBothWaysIncludingThoseSentWithTheRequest()
    {
        // Arrange: an echo server as the target; a tunnel that loses bytes fails the reads instead of hanging them.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        var ct = timeout.Token;
        using var target = new TcpListener(IPAddress.Loopback, 0);
        target.Start();
        var targetPort = ((IPEndPoint)target.LocalEndpoint).Port;
        var echo = EchoOnceAsync(target, ct);
        await using var proxy = ProxyTestServer.Start();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, proxy.Port, ct);
        var stream = client.GetStream();

        // Act: the first bytes for the target travel in the same write as the request.
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"CONNECT 127.0.0.1:{targetPort} HTTP/1.1\r\nHost: 127.0.0.1:{targetPort}\r\n\r\nping"), ct);
        var status = await ReadHttpHeadAsync(stream, ct);
        var echoed = new byte[4];
        await stream.ReadExactlyAsync(echoed, ct);

        // Assert
        Assert.Equal("HTTP/1.1 200 Connection established\r\n\r\n", status);
        Assert.Equal("ping", Encoding.ASCII.GetString(echoed));
        var tunnel = Assert.Single(proxy.Tunnels);
        Assert.Equal($"127.0.0.1:{targetPort}", tunnel.Target);
        Assert.Equal(4, tunnel.BytesToTarget);
        await echo;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("relay-user:wrong")]
    public async Task HttpConnect_MissingOrWrongCredentials_Answers407WithBasicChallenge(string? credentials)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var proxy = ProxyTestServer.Start(new ProxyTestServerOptions { Username = "relay-user", Password = "right" });
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, proxy.Port, ct);
        var authorization = credentials is null ? string.Empty : $"Proxy-Authorization: Basic {Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials))}\r\n";

        // Act
        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes($"CONNECT 127.0.0.1:25 HTTP/1.1\r\n{authorization}\r\n"), ct);
        var response = await ReadHttpHeadAsync(client.GetStream(), ct);

        // Assert
        Assert.StartsWith("HTTP/1.1 407 Proxy Authentication Required\r\n", response, StringComparison.Ordinal);
        Assert.Contains($"Proxy-Authenticate: Basic realm=\"{ProxyTestServer.Realm}\"\r\n", response, StringComparison.Ordinal);
        Assert.Equal(1, proxy.AuthenticationFailures);
        Assert.Empty(proxy.Tunnels);
    }

    [Theory]
    [InlineData("192.0.2.10:25")]
    [InlineData("smtp.example.com:587")]
    public async Task HttpConnect_TargetOffThisMachine_Answers403WithoutConnecting(string target)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var proxy = ProxyTestServer.Start();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, proxy.Port, ct);

        // Act
        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes($"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n\r\n"), ct);
        var response = await ReadHttpHeadAsync(client.GetStream(), ct);

        // Assert
        Assert.StartsWith("HTTP/1.1 403 Forbidden\r\n", response, StringComparison.Ordinal);
        Assert.Equal([target], proxy.RefusedTargets);
        Assert.Empty(proxy.Tunnels);
    }

    [Fact]
    public async Task Socks5Connect_DomainNameOffThisMachine_RepliesNotAllowedWithoutConnecting()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var proxy = ProxyTestServer.Start(new ProxyTestServerOptions { Protocol = ProxyTestProtocol.Socks5 });
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, proxy.Port, ct);
        var stream = client.GetStream();
        var name = Encoding.ASCII.GetBytes("smtp.example.com");

        // Act: no authentication, then CONNECT smtp.example.com:25 as a domain-name address.
        await stream.WriteAsync(new byte[] { 5, 1, 0 }, ct);
        var method = new byte[2];
        await stream.ReadExactlyAsync(method, ct);
        await stream.WriteAsync((byte[])[5, 1, 0, 3, (byte)name.Length, .. name, 0, 25], ct);
        var reply = new byte[10];
        await stream.ReadExactlyAsync(reply, ct);

        // Assert
        Assert.Equal(new byte[] { 5, 0 }, method);
        Assert.Equal(5, reply[0]);
        Assert.Equal(2, reply[1]);
        Assert.Equal(["smtp.example.com:25"], proxy.RefusedTargets);
        Assert.Empty(proxy.Tunnels);
    }

    [Fact]
    public async Task Socks5Connect_WrongPassword_RepliesFailureStatus()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var proxy = ProxyTestServer.Start(new ProxyTestServerOptions { Protocol = ProxyTestProtocol.Socks5, Username = "u", Password = "right" });
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, proxy.Port, ct);
        var stream = client.GetStream();

        // Act: offer username/password (RFC 1929), then log in as u / wrong.
        await stream.WriteAsync(new byte[] { 5, 1, 2 }, ct);
        var method = new byte[2];
        await stream.ReadExactlyAsync(method, ct);
        await stream.WriteAsync((byte[])[1, 1, (byte)'u', 5, .. "wrong"u8], ct);
        var status = new byte[2];
        await stream.ReadExactlyAsync(status, ct);

        // Assert
        Assert.Equal(new byte[] { 5, 2 }, method);
        Assert.Equal(1, status[0]);
        Assert.NotEqual(0, status[1]);
        Assert.Equal(1, proxy.AuthenticationFailures);
    }

    private static async Task EchoOnceAsync(TcpListener listener, CancellationToken ct)
    {
        using var socket = await listener.AcceptSocketAsync(ct);
        var buffer = new byte[4];
        var read = 0;
        while (read < buffer.Length)
        {
            var received = await socket.ReceiveAsync(buffer.AsMemory(read), ct);
            if (received == 0)
            {
                return;
            }

            read += received;
        }

        await socket.SendAsync(buffer, ct);
    }

    private static async Task<string> ReadHttpHeadAsync(NetworkStream stream, CancellationToken ct)
    {
        // Byte by byte up to the blank line, so nothing of the tunnel after it is consumed.
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one, ct) == 0)
            {
                break;
            }

            head.Append((char)one[0]);
        }

        return head.ToString();
    }
}
