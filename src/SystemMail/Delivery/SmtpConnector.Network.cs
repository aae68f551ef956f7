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
            // proxy resolves the host name itself, so a host from the settings page is checked by name only.
            trace.Enter(SmtpStage.Proxy);
            var proxyEndpoint = settings.ProxyEndpoint!;
            if (settings.ServerPolicy is { } serverPolicy && !serverPolicy.AllowsUnresolved(settings.Host, settings.Port))
            {
                throw DestinationPolicy.Refusal("The SMTP server", settings.Endpoint);
            }

            var proxyHost = proxy.Host!.Trim();
            if (settings.ProxyPolicy is { } proxyPolicy)
            {
                var proxyAddresses = await HostAddresses.LookUpAsync(proxyHost, cancellationToken).ConfigureAwait(false);
                if (!proxyPolicy.Allows(proxyHost, proxy.Port, proxyAddresses))
                {
                    throw DestinationPolicy.Refusal("The proxy", proxyEndpoint);
                }

                // Connect to the address checked, not to whatever the name resolves to next; a TLS proxy needs its name.
                proxyHost = proxy.Type == SmtpProxyType.Https ? proxyHost : proxyAddresses[0].ToString();
            }

            if (_logger.IsEnabled(LogLevel.Debug))
            {
                Log.ConnectingThroughProxy(_logger, settings.Endpoint, settings.ProxyKind!, proxyEndpoint);
            }

            observer?.OnConnectingThroughProxy(proxyEndpoint);
            var tunnel = await CreateProxyClient(proxy, proxyHost).ConnectAsync(settings.Host, settings.Port, cancellationToken).ConfigureAwait(false);
            observer?.OnTunnelOpened(proxyEndpoint);
            return tunnel;
        }

        trace.Enter(SmtpStage.Resolve);
        var addresses = await ResolveAsync(settings, observer, cancellationToken).ConfigureAwait(false);

        // Every address this connection may reach is known here, before a socket opens, and vetted.
        trace.Enter(SmtpStage.Connect);
        observer?.OnConnecting(addresses, settings.Port);
        var socket = await ConnectSocketAsync(addresses, settings.Port, cancellationToken).ConfigureAwait(false);
        trace.RemoteEndPoint = socket.RemoteEndPoint as IPEndPoint;
        observer?.OnConnected(socket.RemoteEndPoint!);
        return new NetworkStream(socket, ownsSocket: true);
    }

    /// <summary>
    /// The host's addresses: the host itself when it is an IP address, else what DNS answers; for a host from the
    /// settings page, checked against <see cref="SmtpSettings.ServerPolicy"/> before the observer sees any of them.
    /// </summary>
    private static async Task<IPAddress[]> ResolveAsync(SmtpSettings settings, ISmtpConnectionObserver? observer, CancellationToken cancellationToken)
    {
        var host = settings.Host;
        var literal = IPAddress.TryParse(host, out _);
        if (!literal)
        {
            observer?.OnResolving(host);
        }

        var addresses = await HostAddresses.LookUpAsync(host, cancellationToken).ConfigureAwait(false);
        if (settings.ServerPolicy is { } policy && !policy.Allows(host, settings.Port, addresses))
        {
            throw DestinationPolicy.Refusal("The SMTP server", settings.Endpoint);
        }

        observer?.OnResolved(addresses, hostIsAddress: literal);
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

    private static ProxyClient CreateProxyClient(SmtpProxyOptions proxy, string host)
    {
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
