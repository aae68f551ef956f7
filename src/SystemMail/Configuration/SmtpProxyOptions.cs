using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace SystemMail;

/// <summary>A proxy between the host and the SMTP server.</summary>
public sealed class SmtpProxyOptions
{
    /// <summary>Gets or sets the kind of proxy. Defaults to <see cref="SmtpProxyType.Socks5"/>.</summary>
    public SmtpProxyType Type { get; set; } = SmtpProxyType.Socks5;

    /// <summary>
    /// Gets or sets the proxy's host name or IP address, bare: no user, password, scheme, port or path. No proxy is used
    /// when this is empty.
    /// </summary>
    public string? Host { get; set; }

    /// <summary>Gets or sets the proxy's port, required with <see cref="Host"/>; 0 means not set.</summary>
    [Range(0, 65535)]
    public int Port { get; set; }

    /// <summary>Gets or sets the user name for the proxy, if it requires one.</summary>
    public string? Username { get; set; }

    /// <summary>Gets or sets the password for the proxy. Never logged, shown or serialized to JSON. Not accepted with <see cref="SmtpProxyType.Socks4"/>, which sends only the user name.</summary>
    [JsonIgnore]
    public string? Password { get; set; }

    /// <summary>Returns a description of the proxy that never contains the password.</summary>
    /// <returns>
    /// The proxy type, host, port and whether credentials are set; a host that is not a bare host name or IP address
    /// (such as <c>user:password@host</c>) shows as <c>(invalid host)</c>.
    /// </returns>
    public override string ToString() =>
        $"{Type} proxy {HostNames.Display(Host)}:{Port}{(string.IsNullOrEmpty(Username) ? string.Empty : " (with credentials)")}";
}
