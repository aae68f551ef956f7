using System.Globalization;
using System.Net;

namespace SystemMail;

/// <summary>
/// One entry of <see cref="SystemMailOptions.AllowedDestinations"/>: <c>host:port</c>, where the host is a host name
/// (<c>localhost</c>, <c>relay.internal</c>), an IPv4 address or network (<c>127.0.0.1</c>, <c>10.0.0.0/8</c>) or an
/// IPv6 address or network in brackets (<c>[::1]</c>, <c>[fd00::/8]</c>), and the port a number or <c>*</c> for any.
/// </summary>
/// <remarks>
/// A host name matches the host as the settings name it, whatever it resolves to; an address or network matches the
/// addresses a host resolves to (and a host given as an address). IPv4 addresses mapped into IPv6 count as IPv4.
/// </remarks>
internal sealed class DestinationPattern
{
    /// <summary>The syntax, as a validation message shows it.</summary>
    public const string Syntax = "host:port, such as 'localhost:25', '127.0.0.1:*', '[::1]:2525' or '10.0.0.0/8:587' (port '*' for any)";

    private readonly string? _name;
    private readonly IPAddress? _network;
    private readonly int _prefixLength;
    private readonly int? _port;

    private DestinationPattern(string? name, IPAddress? network, int prefixLength, int? port)
    {
        _name = name;
        _network = network;
        _prefixLength = prefixLength;
        _port = port;
    }

    /// <summary>Reads a pattern; <paramref name="problem"/> says what is wrong when it is not one.</summary>
    public static bool TryParse(string? text, out DestinationPattern? pattern, out string? problem)
    {
        pattern = null;
        var value = text?.Trim() ?? string.Empty;
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || colon == value.Length - 1)
        {
            problem = $"'{value}' must be {Syntax}.";
            return false;
        }

        var host = value[..colon];
        var portText = value[(colon + 1)..];
        int? port = null;
        if (portText != "*")
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
            {
                problem = $"'{value}' has no valid port: a number from 1 to 65535, or '*' for any.";
                return false;
            }

            port = number;
        }

        if (host.StartsWith('['))
        {
            if (!host.EndsWith(']') || !TryParseNetwork(host[1..^1], ipv6: true, out var v6, out var v6Prefix))
            {
                problem = $"'{value}' must name an IPv6 address or network in brackets, such as '[::1]:25' or '[fd00::/8]:*'.";
                return false;
            }

            pattern = new DestinationPattern(null, v6, v6Prefix, port);
        }
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            problem = $"'{value}': an IPv6 address goes in brackets, such as '[::1]:25'.";
            return false;
        }
        else if (host.Count(c => c == '.') == 3 && host.All(c => char.IsAsciiDigit(c) || c is '.' or '/'))
        {
            if (!TryParseNetwork(host, ipv6: false, out var v4, out var v4Prefix))
            {
                problem = $"'{value}' must name an IPv4 address or network, such as '127.0.0.1:25' or '10.0.0.0/8:587'.";
                return false;
            }

            pattern = new DestinationPattern(null, v4, v4Prefix, port);
        }
        else if (HostNames.IsBare(host) && !host.Contains('/', StringComparison.Ordinal))
        {
            pattern = new DestinationPattern(Normalize(host), null, 0, port);
        }
        else
        {
            problem = $"'{value}' must be {Syntax}.";
            return false;
        }

        problem = null;
        return true;
    }

    /// <summary>Gets whether the pattern names <paramref name="host"/> (as the settings write it) and <paramref name="port"/>.</summary>
    public bool MatchesName(string host, int port) =>
        _name is not null && PortMatches(port) && string.Equals(_name, Normalize(host), StringComparison.OrdinalIgnoreCase);

    /// <summary>Gets whether the pattern covers <paramref name="address"/> and <paramref name="port"/>.</summary>
    public bool MatchesAddress(IPAddress address, int port)
    {
        if (_network is null || !PortMatches(port))
        {
            return false;
        }

        var candidate = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        if (candidate.AddressFamily != _network.AddressFamily)
        {
            return false;
        }

        Span<byte> a = stackalloc byte[16];
        Span<byte> n = stackalloc byte[16];
        candidate.TryWriteBytes(a, out var length);
        _network.TryWriteBytes(n, out _);
        var bits = _prefixLength;
        for (var i = 0; i < length && bits > 0; i++, bits -= 8)
        {
            var mask = bits >= 8 ? 0xFF : (byte)(0xFF << (8 - bits));
            if ((a[i] & mask) != (n[i] & mask))
            {
                return false;
            }
        }

        return true;
    }

    private bool PortMatches(int port) => _port is null || _port == port;

    private static string Normalize(string host) => host.Trim().TrimEnd('.');

    private static bool TryParseNetwork(string text, bool ipv6, out IPAddress? address, out int prefixLength)
    {
        address = null;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        var maxLength = ipv6 ? 128 : 32;
        prefixLength = maxLength;
        if (!IPAddress.TryParse(addressText, out var parsed) ||
            parsed.AddressFamily != (ipv6 ? System.Net.Sockets.AddressFamily.InterNetworkV6 : System.Net.Sockets.AddressFamily.InterNetwork) ||
            parsed.IsIPv4MappedToIPv6 || (ipv6 && parsed.ScopeId != 0))
        {
            return false;
        }

        if (slash >= 0 &&
            (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefixLength) || prefixLength > maxLength))
        {
            return false;
        }

        address = parsed;
        return true;
    }
}
