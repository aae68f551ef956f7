using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace SystemMail;

/// <summary>
/// Keeps OAuth2 endpoints that came from the settings page to the <see cref="DestinationPolicy"/>: checked by name and
/// address before each request to the token endpoint, and again by the <c>SystemMail.OAuth2</c> HTTP client's
/// <see cref="SocketsHttpHandler.ConnectCallback"/> on the addresses it connects to, so a name that resolves elsewhere
/// by the time of the connection is refused too.
/// </summary>
/// <remarks>
/// The callback knows an endpoint by its host and port, the key of the handler's connection pool: an endpoint is
/// checked from the first request with settings from the page on. A host that replaces the client's primary handler
/// keeps the check before each request, not the one on connect.
/// </remarks>
internal sealed class OAuthEndpointGuard
{
    private readonly ConcurrentDictionary<string, DestinationPolicy> _guarded = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Refuses <paramref name="endpoint"/> when <paramref name="policy"/> does not allow where it resolves to; no policy, no check.</summary>
    /// <exception cref="SystemMailException">The endpoint is refused (hint <c>DestinationNotAllowed</c>).</exception>
    public async Task CheckAsync(Uri endpoint, DestinationPolicy? policy, string what, CancellationToken cancellationToken)
    {
        if (policy is null)
        {
            return;
        }

        var host = endpoint.IdnHost;
        _guarded[Key(host, endpoint.Port)] = policy;
        IPAddress[] addresses;
        try
        {
            addresses = await HostAddresses.LookUpAsync(host, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            // Not found now: the request fails the same way, as "token endpoint unavailable".
            return;
        }

        if (!policy.Allows(host, endpoint.Port, addresses))
        {
            throw DestinationPolicy.Refusal(what, Key(endpoint.Host, endpoint.Port));
        }
    }

    /// <summary>Connects the HTTP client to the first address that accepts, after checking an endpoint from the settings page.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var target = context.DnsEndPoint;
        var addresses = await HostAddresses.LookUpAsync(target.Host, cancellationToken).ConfigureAwait(false);
        if (_guarded.TryGetValue(Key(target.Host, target.Port), out var policy) && !policy.Allows(target.Host, target.Port, addresses))
        {
            throw DestinationPolicy.Refusal("The OAuth2 endpoint", Key(target.Host, target.Port));
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, target.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static string Key(string host, int port) => $"{host}:{port}";
}
