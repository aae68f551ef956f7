using System.Net;

namespace SystemMail;

/// <summary>
/// Whether a configured host is a bare host name or IP address, and the text to show for it when it may not be:
/// a value such as <c>user:password@host</c> must never reach a message, a log or a description.
/// </summary>
internal static class HostNames
{
    /// <summary>What descriptions print in place of a host that is not a bare host name or IP address.</summary>
    public const string Invalid = "(invalid host)";

    /// <summary>
    /// Gets whether <paramref name="host"/> is a DNS name, an IPv4 or an IPv6 address, without user, password,
    /// scheme, port, path or spaces.
    /// </summary>
    public static bool IsBare(string? host) => !string.IsNullOrEmpty(host) && Uri.CheckHostName(host) != UriHostNameType.Unknown;

    /// <summary>
    /// Gets whether <paramref name="host"/> names this machine: <c>localhost</c> or a loopback IP address (brackets
    /// around an IPv6 address allowed). Any other name counts as another machine, whatever it resolves to.
    /// </summary>
    public static bool IsLoopback(string? host)
    {
        if (string.IsNullOrWhiteSpace(host))
        {
            return false;
        }

        var name = host.Trim();
        if (name.Length > 2 && name[0] == '[' && name[^1] == ']')
        {
            name = name[1..^1];
        }

        return string.Equals(name, "localhost", StringComparison.OrdinalIgnoreCase) ||
            (IPAddress.TryParse(name, out var address) && IPAddress.IsLoopback(address));
    }

    /// <summary>The host as a description may show it: empty when not set, <see cref="Invalid"/> when it is not bare.</summary>
    public static string Display(string? host) =>
        string.IsNullOrWhiteSpace(host) ? string.Empty : IsBare(host.Trim()) ? host.Trim() : Invalid;
}
