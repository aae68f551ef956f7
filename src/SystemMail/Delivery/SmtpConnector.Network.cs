using System.Net;
using System.Net.Sockets;
using MailKit.Net.Proxy;
using Microsoft.Extensions.Logging;

namespace SystemMail;

/// <summary>The network half of <see cref="SmtpConnector"/>: resolving the host, connecting to its addresses, or the proxy's tunnel.</summary>
internal sealed partial class SmtpConnector
{
    /// <summary>Opens the byte stream to the server: a TCP connection, or a tunnel through the proxy.</summary>
    private async Task<Stream> OpenAsync(SmtpSettings settings, SmtpConnectionTrace trace, ISmtpConnectionObserver? observer, CancellationToken cancellationToken)
    {
        if (settings.Proxy is { } proxy)
        {
            // The tunnel first, on its own: what fails before it stands is the proxy's failure, not the server's. The
            // proxy resolves the host name itself.
            trace.Enter(SmtpStage.Proxy);
            var proxyEndpoint = settings.ProxyEndpoint!;
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                Log.ConnectingThroughProxy(_logger, settings.Endpoint, settings.ProxyKind!, proxyEndpoint);
            }

            observer?.OnConnectingThroughProxy(proxyEndpoint);
            var tunnel = await CreateProxyClient(proxy).ConnectAsync(settings.Host, settings.Port, cancellationToken).ConfigureAwait(false);
            observer?.OnTunnelOpened(proxyEndpoint);
            return tunnel;
        }

        trace.Enter(SmtpStage.Resolve);
        var addresses = await ResolveAsync(settings.Host, observer, cancellationToken).ConfigureAwait(false);

        // Every address this connection may reach is known here, before a socket opens: the one place to vet them.
        trace.Enter(SmtpStage.Connect);
        observer?.OnConnecting(addresses, settings.Port);
        var socket = await ConnectSocketAsync(addresses, settings.Port, cancellationToken).ConfigureAwait(false);
        trace.RemoteEndPoint = socket.RemoteEndPoint as IPEndPoint;
        observer?.OnConnected(socket.RemoteEndPoint!);
        return new NetworkStream(socket, ownsSocket: true);
    }

    /// <summary>The host's addresses: the host itself when it is an IP address, else what DNS answers.</summary>
    private static async Task<IPAddress[]> ResolveAsync(string host, ISmtpConnectionObserver? observer, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out var literal))
        {
            IPAddress[] only = [literal];
            observer?.OnResolved(only, hostIsAddress: true);
            return only;
        }

        observer?.OnResolving(host);
        var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        observer?.OnResolved(addresses, hostIsAddress: false);
        return addresses;
    }

    /// <summary>Connects to the first address that accepts, like MailKit: <c>localhost</c> resolves to ::1 and 127.0.0.1.</summary>
    private static async Task<Socket> ConnectSocketAsync(IReadOnlyList<IPAddress> addresses, int port, CancellationToken cancellationToken)
    {
        Exception? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken).ConfigureAwait(false);
                return socket;
            }
            catch (SocketException ex)
            {
                // The next address may answer.
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    private static ProxyClient CreateProxyClient(SmtpProxyOptions proxy)
    {
        var host = proxy.Host!.Trim();
        var credentials = string.IsNullOrEmpty(proxy.Username) ? null : new NetworkCredential(proxy.Username, proxy.Password);
        return proxy.Type switch
        {
            SmtpProxyType.Socks4 => credentials is null ? new Socks4aClient(host, proxy.Port) : new Socks4aClient(host, proxy.Port, credentials),
            SmtpProxyType.Http => credentials is null ? new HttpProxyClient(host, proxy.Port) : new HttpProxyClient(host, proxy.Port, credentials),
            SmtpProxyType.Https => credentials is null ? new HttpsProxyClient(host, proxy.Port) : new HttpsProxyClient(host, proxy.Port, credentials),
            _ => credentials is null ? new Socks5Client(host, proxy.Port) : new Socks5Client(host, proxy.Port, credentials),
        };
    }
}
