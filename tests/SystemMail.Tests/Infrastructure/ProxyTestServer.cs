using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SystemMail.Tests.Infrastructure;

/// <summary>
/// A proxy on 127.0.0.1, on a port the operating system picks, that speaks HTTP <c>CONNECT</c> (RFC 9110) or SOCKS5
/// (RFC 1928 with RFC 1929 username/password) and records every tunnel it opens, so a test can tell that the SMTP
/// conversation really went through it.
/// </summary>
/// <remarks>
/// It only ever connects to loopback targets (an IP address that is loopback, or <c>localhost</c>, which it maps to
/// 127.0.0.1 without a DNS query); any other target is refused as a real proxy's rules would refuse it, so no test
/// traffic leaves the machine.
/// </remarks>
public sealed class ProxyTestServer : IAsyncDisposable
{
    /// <summary>The realm a 407 reply names.</summary>
    public const string Realm = "systemmail-test-proxy";

    private const int MaxHeaderBytes = 8 * 1024;
    private static readonly TimeSpan TargetConnectTimeout = TimeSpan.FromSeconds(5);

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly List<ProxyTunnel> _tunnels = [];
    private readonly List<string> _refusedTargets = [];
    private readonly HashSet<Task> _connections = [];
    private readonly Task _acceptLoop;
    private int _acceptedConnections;
    private int _authenticationFailures;
    private int _disposed;

    private ProxyTestServer(TcpListener listener, ProxyTestServerOptions options)
    {
        _listener = listener;
        Options = options;
        _acceptLoop = AcceptAsync(_stop.Token);
    }

    /// <summary>Gets the address the proxy listens on.</summary>
    public string Host => "127.0.0.1";

    /// <summary>Gets the port the proxy listens on.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Gets the proxy as <c>host:port</c>.</summary>
    public string Endpoint => $"{Host}:{Port}";

    /// <summary>Gets the options the proxy started with.</summary>
    public ProxyTestServerOptions Options { get; }

    /// <summary>Gets how many connections clients opened to the proxy.</summary>
    public int AcceptedConnections => Volatile.Read(ref _acceptedConnections);

    /// <summary>Gets how many times a client was refused for missing or wrong credentials.</summary>
    public int AuthenticationFailures => Volatile.Read(ref _authenticationFailures);

    /// <summary>Gets every tunnel opened so far, in order.</summary>
    public IReadOnlyList<ProxyTunnel> Tunnels
    {
        get
        {
            lock (_lock)
            {
                return [.. _tunnels];
            }
        }
    }

    /// <summary>Gets every target (<c>host:port</c>) the proxy refused or could not reach, in order.</summary>
    public IReadOnlyList<string> RefusedTargets
    {
        get
        {
            lock (_lock)
            {
                return [.. _refusedTargets];
            }
        }
    }

    /// <summary>Starts listening on a port the operating system picks.</summary>
    /// <param name="options">How the proxy behaves; an HTTP proxy without credentials when <see langword="null"/>.</param>
    /// <returns>The running proxy.</returns>
    public static ProxyTestServer Start(ProxyTestServerOptions? options = null)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new ProxyTestServer(listener, options ?? new ProxyTestServerOptions());
    }

    /// <summary>Waits until every tunnel opened so far has closed on both sides.</summary>
    /// <param name="timeout">How long to wait at most.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the tunnels are closed.</returns>
    /// <exception cref="TimeoutException">A tunnel was still open after <paramref name="timeout"/>.</exception>
    public Task WaitForTunnelsClosedAsync(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        Task.WhenAll(Tunnels.Select(t => t.Closed)).WaitAsync(timeout, cancellationToken);

    /// <summary>Stops listening and closes every connection and tunnel.</summary>
    /// <returns>A task that completes when every connection is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _acceptLoop.ConfigureAwait(false);

        Task[] connections;
        lock (_lock)
        {
            connections = [.. _connections];
        }

        try
        {
            await Task.WhenAll(connections).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A connection that ignores cancellation must not hang the test run; its sockets close with the process.
        }

        _stop.Dispose();
    }

    private static IPAddress? ResolveLoopback(string host)
    {
        if (IPAddress.TryParse(host, out var address))
        {
            return IPAddress.IsLoopback(address) ? address : null;
        }

        // Names are never looked up: only localhost (RFC 6761) is known to stay on this machine without a DNS query.
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            ? IPAddress.Loopback
            : null;
    }

    private static async Task<(Socket? Socket, SocketError Error)> ConnectTargetAsync(IPAddress address, int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TargetConnectTimeout);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(address, port), timeout.Token).ConfigureAwait(false);
            return (socket, SocketError.Success);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            return (null, ex.SocketErrorCode);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            return (null, SocketError.TimedOut);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task CopyAsync(Stream from, Stream to, Action<int> counted, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                counted(read);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // One side closed or reset the connection: the tunnel ends.
        }
    }

    private static int IndexOfHeaderEnd(ReadOnlySpan<byte> data) => data.IndexOf("\r\n\r\n"u8);

    private static async Task RespondHttpAsync(Stream client, string status, string extraHeaders, CancellationToken cancellationToken)
    {
        var response = $"HTTP/1.1 {status}\r\n{extraHeaders}Content-Length: 0\r\nConnection: close\r\n\r\n";
        await client.WriteAsync(Encoding.ASCII.GetBytes(response), cancellationToken).ConfigureAwait(false);
    }

    private static async Task RespondSocksAsync(Stream client, byte reply, IPEndPoint? bound, CancellationToken cancellationToken)
    {
        // VER REP RSV ATYP BND.ADDR BND.PORT (RFC 1928, 6); a failure carries 0.0.0.0:0.
        var address = bound?.Address ?? IPAddress.Any;
        var addressBytes = address.GetAddressBytes();
        var response = new byte[4 + addressBytes.Length + 2];
        response[0] = 5;
        response[1] = reply;
        response[3] = address.AddressFamily == AddressFamily.InterNetworkV6 ? (byte)4 : (byte)1;
        addressBytes.CopyTo(response, 4);
        BinaryPrimitives.WriteUInt16BigEndian(response.AsSpan(4 + addressBytes.Length), (ushort)(bound?.Port ?? 0));
        await client.WriteAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private static byte SocksReplyFor(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => 0x05,
        SocketError.NetworkUnreachable => 0x03,
        SocketError.HostUnreachable or SocketError.TimedOut => 0x04,
        _ => 0x01,
    };

    private static bool TryParseAuthority(string authority, out string host, out int port)
    {
        host = string.Empty;
        port = 0;
        string portText;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf("]:", StringComparison.Ordinal);
            if (close < 0)
            {
                return false;
            }

            host = authority[1..close];
            portText = authority[(close + 2)..];
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            if (colon <= 0)
            {
                return false;
            }

            host = authority[..colon];
            portText = authority[(colon + 1)..];
        }

        return int.TryParse(portText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port) &&
            port is >= 1 and <= 65535;
    }

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _acceptedConnections);
            var connection = ServeAsync(socket, cancellationToken);
            lock (_lock)
            {
                _connections.Add(connection);
            }

            _ = connection.ContinueWith(
                done =>
                {
                    lock (_lock)
                    {
                        _connections.Remove(done);
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(Socket socket, CancellationToken cancellationToken)
    {
        socket.NoDelay = true;
        var client = new NetworkStream(socket, ownsSocket: true);
        await using (client.ConfigureAwait(false))
        {
            try
            {
                var opened = Options.Protocol == ProxyTestProtocol.Socks5
                    ? await OpenSocks5Async(client, cancellationToken).ConfigureAwait(false)
                    : await OpenHttpAsync(client, cancellationToken).ConfigureAwait(false);
                if (opened is { } tunnel)
                {
                    await PumpAsync(client, tunnel.Target, tunnel.Tunnel, tunnel.Leftover, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    // Refused: the reply is on its way; close after it, not with a reset.
                    socket.Shutdown(SocketShutdown.Send);
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException or EndOfStreamException)
            {
                // The client went away or the proxy is stopping.
            }
        }
    }

    private async Task PumpAsync(NetworkStream client, Socket targetSocket, ProxyTunnel tunnel, ReadOnlyMemory<byte> leftover, CancellationToken cancellationToken)
    {
        var target = new NetworkStream(targetSocket, ownsSocket: true);
        await using (target.ConfigureAwait(false))
        {
            using var tunnelOpen = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            try
            {
                if (!leftover.IsEmpty)
                {
                    // Bytes the client sent right after the request: they belong to the target.
                    await target.WriteAsync(leftover, cancellationToken).ConfigureAwait(false);
                    tunnel.AddToTarget(leftover.Length);
                }

                var toTarget = CopyAsync(client, target, tunnel.AddToTarget, tunnelOpen.Token);
                var toClient = CopyAsync(target, client, tunnel.AddToClient, tunnelOpen.Token);

                // Either side closing ends the tunnel; what the other side had sent is already passed on.
                await Task.WhenAny(toTarget, toClient).ConfigureAwait(false);
                await tunnelOpen.CancelAsync().ConfigureAwait(false);
                await Task.WhenAll(toTarget, toClient).ConfigureAwait(false);
            }
            finally
            {
                tunnel.MarkClosed();
            }
        }
    }

    private void Refuse(string target)
    {
        lock (_lock)
        {
            _refusedTargets.Add(target);
        }
    }

    private ProxyTunnel Record(string host, int port, string? username)
    {
        var tunnel = new ProxyTunnel(host, port, username);
        lock (_lock)
        {
            _tunnels.Add(tunnel);
        }

        return tunnel;
    }

    private bool CredentialsMatch(string? username, string? password) =>
        string.Equals(username, Options.Username, StringComparison.Ordinal) &&
        string.Equals(password, Options.Password ?? string.Empty, StringComparison.Ordinal);

    /// <summary>Reads a <c>CONNECT</c> request up to its blank line, checks it, connects and answers 200; <see langword="null"/> when refused.</summary>
    private async Task<OpenedTunnel?> OpenHttpAsync(NetworkStream client, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxHeaderBytes];
        var length = 0;
        int end;
        while ((end = IndexOfHeaderEnd(buffer.AsSpan(0, length))) < 0)
        {
            if (length == buffer.Length)
            {
                await RespondHttpAsync(client, "431 Request Header Fields Too Large", string.Empty, cancellationToken).ConfigureAwait(false);
                return null;
            }

            var read = await client.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            length += read;
            if (buffer[0] is < (byte)'A' or > (byte)'Z')
            {
                // Not an HTTP request (a SOCKS greeting, TLS): answered at once, as an HTTP proxy does.
                await RespondHttpAsync(client, "400 Bad Request", string.Empty, cancellationToken).ConfigureAwait(false);
                return null;
            }
        }

        var lines = Encoding.Latin1.GetString(buffer, 0, end).Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3 || !requestLine[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            await RespondHttpAsync(client, "400 Bad Request", string.Empty, cancellationToken).ConfigureAwait(false);
            return null;
        }

        if (requestLine[0] != "CONNECT")
        {
            await RespondHttpAsync(client, "405 Method Not Allowed", "Allow: CONNECT\r\n", cancellationToken).ConfigureAwait(false);
            return null;
        }

        string? username = null;
        if (Options.RequiresCredentials)
        {
            var authorization = lines.Skip(1)
                .Select(l => l.Split(':', 2))
                .Where(h => h.Length == 2 && h[0].Trim().Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase))
                .Select(h => h[1].Trim())
                .FirstOrDefault();
            var (user, password) = ParseBasic(authorization);
            if (!CredentialsMatch(user, password))
            {
                Interlocked.Increment(ref _authenticationFailures);
                await RespondHttpAsync(client, "407 Proxy Authentication Required", $"Proxy-Authenticate: Basic realm=\"{Realm}\"\r\n", cancellationToken).ConfigureAwait(false);
                return null;
            }

            username = user;
        }

        if (!TryParseAuthority(requestLine[1], out var host, out var port))
        {
            await RespondHttpAsync(client, "400 Bad Request", string.Empty, cancellationToken).ConfigureAwait(false);
            return null;
        }

        if (ResolveLoopback(host) is not { } address || Options.ForbiddenPorts.Contains(port))
        {
            Refuse($"{host}:{port}");
            await RespondHttpAsync(client, "403 Forbidden", string.Empty, cancellationToken).ConfigureAwait(false);
            return null;
        }

        var (target, error) = await ConnectTargetAsync(address, port, cancellationToken).ConfigureAwait(false);
        if (target is null)
        {
            Refuse($"{host}:{port}");
            var status = error == SocketError.TimedOut ? "504 Gateway Timeout" : "502 Bad Gateway";
            await RespondHttpAsync(client, status, string.Empty, cancellationToken).ConfigureAwait(false);
            return null;
        }

        var tunnel = Record(host, port, username);
        try
        {
            await client.WriteAsync("HTTP/1.1 200 Connection established\r\n\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            target.Dispose();
            tunnel.MarkClosed();
            throw;
        }

        var headerEnd = end + 4;
        return new OpenedTunnel(tunnel, target, buffer.AsMemory(headerEnd, length - headerEnd));
    }

    private static (string? Username, string? Password) ParseBasic(string? authorization)
    {
        const string Scheme = "Basic ";
        if (authorization is null || !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return (null, null);
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[Scheme.Length..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? (decoded, null) : (decoded[..colon], decoded[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return (null, null);
        }
    }

    /// <summary>Runs the SOCKS5 method negotiation, the optional RFC 1929 login and the request; <see langword="null"/> when refused.</summary>
    private async Task<OpenedTunnel?> OpenSocks5Async(NetworkStream client, CancellationToken cancellationToken)
    {
        // VER NMETHODS METHODS
        var greeting = new byte[2];
        await client.ReadExactlyAsync(greeting, cancellationToken).ConfigureAwait(false);
        if (greeting[0] != 5)
        {
            // Not SOCKS5 (an HTTP request, SOCKS4): RFC 1928 has no reply for it; the connection is closed.
            return null;
        }

        var methods = new byte[greeting[1]];
        await client.ReadExactlyAsync(methods, cancellationToken).ConfigureAwait(false);
        const byte NoAuthentication = 0x00, UsernamePassword = 0x02, NoAcceptableMethods = 0xFF;
        var wanted = Options.RequiresCredentials ? UsernamePassword : NoAuthentication;
        var method = methods.Contains(wanted) ? wanted : NoAcceptableMethods;
        if (method == NoAcceptableMethods && Options.RequiresCredentials)
        {
            Interlocked.Increment(ref _authenticationFailures);
        }

        await client.WriteAsync(new byte[] { 5, method }, cancellationToken).ConfigureAwait(false);
        if (method == NoAcceptableMethods)
        {
            return null;
        }

        string? username = null;
        if (method == UsernamePassword)
        {
            // RFC 1929: VER=1 ULEN UNAME PLEN PASSWD, answered with VER=1 STATUS (0 = success).
            var version = new byte[2];
            await client.ReadExactlyAsync(version, cancellationToken).ConfigureAwait(false);
            if (version[0] != 1)
            {
                return null;
            }

            var user = new byte[version[1]];
            await client.ReadExactlyAsync(user, cancellationToken).ConfigureAwait(false);
            var passwordLength = new byte[1];
            await client.ReadExactlyAsync(passwordLength, cancellationToken).ConfigureAwait(false);
            var password = new byte[passwordLength[0]];
            await client.ReadExactlyAsync(password, cancellationToken).ConfigureAwait(false);
            username = Encoding.UTF8.GetString(user);
            var accepted = CredentialsMatch(username, Encoding.UTF8.GetString(password));

            // Counted before the answer goes out: a client that has read the answer sees the count.
            if (!accepted)
            {
                Interlocked.Increment(ref _authenticationFailures);
            }

            await client.WriteAsync(new byte[] { 1, accepted ? (byte)0 : (byte)1 }, cancellationToken).ConfigureAwait(false);
            if (!accepted)
            {
                return null;
            }
        }

        // VER CMD RSV ATYP DST.ADDR DST.PORT
        var request = new byte[4];
        await client.ReadExactlyAsync(request, cancellationToken).ConfigureAwait(false);
        if (request[0] != 5)
        {
            return null;
        }

        string host;
        switch (request[3])
        {
            case 1:
                var ipv4 = new byte[4];
                await client.ReadExactlyAsync(ipv4, cancellationToken).ConfigureAwait(false);
                host = new IPAddress(ipv4).ToString();
                break;
            case 3:
                var nameLength = new byte[1];
                await client.ReadExactlyAsync(nameLength, cancellationToken).ConfigureAwait(false);
                var name = new byte[nameLength[0]];
                await client.ReadExactlyAsync(name, cancellationToken).ConfigureAwait(false);
                host = Encoding.ASCII.GetString(name);
                break;
            case 4:
                var ipv6 = new byte[16];
                await client.ReadExactlyAsync(ipv6, cancellationToken).ConfigureAwait(false);
                host = new IPAddress(ipv6).ToString();
                break;
            default:
                await RespondSocksAsync(client, 0x08, null, cancellationToken).ConfigureAwait(false);
                return null;
        }

        var portBytes = new byte[2];
        await client.ReadExactlyAsync(portBytes, cancellationToken).ConfigureAwait(false);
        var port = BinaryPrimitives.ReadUInt16BigEndian(portBytes);

        if (request[1] != 1)
        {
            // Only CONNECT; BIND and UDP ASSOCIATE are not supported.
            await RespondSocksAsync(client, 0x07, null, cancellationToken).ConfigureAwait(false);
            return null;
        }

        if (ResolveLoopback(host) is not { } address || Options.ForbiddenPorts.Contains(port))
        {
            Refuse($"{host}:{port}");
            await RespondSocksAsync(client, 0x02, null, cancellationToken).ConfigureAwait(false);
            return null;
        }

        var (target, error) = await ConnectTargetAsync(address, port, cancellationToken).ConfigureAwait(false);
        if (target is null)
        {
            Refuse($"{host}:{port}");
            await RespondSocksAsync(client, SocksReplyFor(error), null, cancellationToken).ConfigureAwait(false);
            return null;
        }

        var tunnel = Record(host, port, username);
        try
        {
            await RespondSocksAsync(client, 0x00, (IPEndPoint?)target.LocalEndPoint, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            target.Dispose();
            tunnel.MarkClosed();
            throw;
        }

        return new OpenedTunnel(tunnel, target, ReadOnlyMemory<byte>.Empty);
    }

    private sealed record OpenedTunnel(ProxyTunnel Tunnel, Socket Target, ReadOnlyMemory<byte> Leftover);
}
