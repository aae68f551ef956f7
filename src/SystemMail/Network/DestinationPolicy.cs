using System.Net;
using System.Net.Sockets;

namespace SystemMail;

/// <summary>
/// Where settings that came from the settings page (saved there, or an unsaved form under test) may connect: not to
/// this machine, link-local or cloud metadata addresses, nor to unspecified or multicast ones, unless the host's own
/// configuration allows them in <see cref="SystemMailOptions.AllowedDestinations"/>. Settings the host wrote in its
/// configuration or code are not checked.
/// </summary>
/// <remarks>
/// Checked after DNS, on the addresses the connection then uses, so a name that resolves to a refused address is
/// refused too. A host named by an allowed host-name pattern passes whatever it resolves to.
/// </remarks>
internal sealed class DestinationPolicy
{
    private static readonly IPAddress AwsMetadataV6 = IPAddress.Parse("fd00:ec2::254");
    private readonly List<DestinationPattern> _allowed = [];

    public DestinationPolicy(IEnumerable<string>? allowedDestinations)
    {
        foreach (var text in allowedDestinations ?? [])
        {
            // Invalid entries fail start-up validation; none reaches here with valid settings.
            if (DestinationPattern.TryParse(text, out var pattern, out _))
            {
                _allowed.Add(pattern!);
            }
        }
    }

    /// <summary>
    /// Gets whether <paramref name="address"/> is one the settings page may not reach unless allowed: loopback,
    /// link-local (169.254.0.0/16, fe80::/10, with the cloud metadata service), fd00:ec2::254, unspecified
    /// (0.0.0.0/8, ::), multicast or broadcast.
    /// </summary>
    public static bool IsRestricted(IPAddress address)
    {
        var candidate = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        if (candidate.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> b = stackalloc byte[4];
            candidate.TryWriteBytes(b, out _);
            return b[0] is 0 or 127 || (b[0] == 169 && b[1] == 254) || b[0] is >= 224 || candidate.Equals(IPAddress.Broadcast);
        }

        return IPAddress.IsLoopback(candidate) || candidate.Equals(IPAddress.IPv6Any) || candidate.IsIPv6LinkLocal ||
            candidate.IsIPv6Multicast || candidate.Equals(AwsMetadataV6);
    }

    /// <summary>Gets whether a connection to <paramref name="host"/>, resolved to <paramref name="addresses"/>, may be opened.</summary>
    public bool Allows(string host, int port, IReadOnlyCollection<IPAddress> addresses) =>
        AllowsName(host, port) || addresses.All(address => !IsRestricted(address) || _allowed.Any(p => p.MatchesAddress(address, port)));

    /// <summary>
    /// Gets whether <paramref name="host"/> may be named without resolving it here (a proxy resolves it, or a browser
    /// opens it): an address is checked as such, <c>localhost</c> and <c>*.localhost</c> count as loopback, any other name passes.
    /// </summary>
    public bool AllowsUnresolved(string host, int port)
    {
        var name = host.Trim();
        if (name.Length > 2 && name[0] == '[' && name[^1] == ']')
        {
            name = name[1..^1];
        }

        if (IPAddress.TryParse(name, out var address))
        {
            return Allows(host, port, [address]);
        }

        var loopbackName = name.TrimEnd('.');
        return !(loopbackName.Equals("localhost", StringComparison.OrdinalIgnoreCase) ||
                 loopbackName.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)) ||
            Allows(host, port, [IPAddress.Loopback]);
    }

    /// <summary>The failure for a refused destination: a configuration error, raised before any connection.</summary>
    /// <param name="what">What was refused, such as "The SMTP server".</param>
    /// <param name="endpoint">The destination as the settings name it, <c>host:port</c>; never a resolved address.</param>
    public static SystemMailException Refusal(string what, string endpoint) => new(
        SystemMailErrorKind.Configuration,
        $"{what} {endpoint} is not an allowed destination for settings from the settings page: it is this machine, a link-local or metadata address, or an unspecified or multicast one.",
        Hints.DestinationNotAllowed(endpoint));

    /// <summary>Gets whether <paramref name="exception"/> is a <see cref="Refusal"/>.</summary>
    public static bool IsRefusal(Exception? exception) =>
        exception is SystemMailException { LocalizableHint.Id: nameof(Hints.DestinationNotAllowed) };

    private bool AllowsName(string host, int port) => _allowed.Any(p => p.MatchesName(host, port));
}
