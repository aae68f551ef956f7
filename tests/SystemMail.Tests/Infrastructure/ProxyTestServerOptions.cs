namespace SystemMail.Tests.Infrastructure;

/// <summary>How a <see cref="ProxyTestServer"/> starts.</summary>
public sealed record ProxyTestServerOptions
{
    /// <summary>Gets the protocol the proxy speaks. Defaults to <see cref="ProxyTestProtocol.Http"/>.</summary>
    public ProxyTestProtocol Protocol { get; init; } = ProxyTestProtocol.Http;

    /// <summary>Gets the user name the proxy requires, or <see langword="null"/> for a proxy that takes anyone.</summary>
    public string? Username { get; init; }

    /// <summary>Gets the password that goes with <see cref="Username"/>.</summary>
    public string? Password { get; init; }

    /// <summary>
    /// Gets target ports the proxy's rules forbid, as a proxy that only lets through HTTPS would: a request for one is
    /// refused (403, or SOCKS5 reply 2) without connecting. Targets that are not loopback are always refused.
    /// </summary>
    public IReadOnlySet<int> ForbiddenPorts { get; init; } = new HashSet<int>();

    /// <summary>Gets whether the proxy requires credentials.</summary>
    public bool RequiresCredentials => Username is not null;
}
