using System.Net;
using System.Net.Sockets;

namespace SystemMail;

/// <summary>The addresses a connection to a host may use, looked up once for the check and the connection alike.</summary>
internal static class HostAddresses
{
    /// <summary>The addresses of <paramref name="host"/>: itself when it is an IP address, else what DNS answers (at least one).</summary>
    /// <exception cref="SocketException">DNS knows no address for <paramref name="host"/>.</exception>
    public static async Task<IPAddress[]> LookUpAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out var literal))
        {
            return [literal];
        }

        var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        return addresses.Length == 0 ? throw new SocketException((int)SocketError.HostNotFound) : addresses;
    }
}
