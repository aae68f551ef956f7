using System.Net.Security;
using System.Security.Authentication;
using MimeKit;

namespace SystemMail;

/// <summary>
/// The effective settings of one options snapshot: template defaults filled in, sender parsed.
/// Connections remember the instance they were opened with, so a settings change drains them.
/// </summary>
internal sealed class SmtpSettings
{
    private SmtpSettings(SystemMailOptions options, ISmtpProviderTemplate template)
    {
        Options = options;
        Template = template;
        Destination = SmtpDestination.Of(options, template);
        MinimumTlsVersion = (template.AllowsCustomConnection ? options.MinimumTlsVersion : null) ?? template.MinimumTlsVersion;
        From = MailboxAddress.Parse(options.From!);
        if (options.OperatorDestinations is { } trusted)
        {
            // Settings from the settings page: what differs from the host's configuration is checked on connect.
            var policy = new DestinationPolicy(options.AllowedDestinations);
            ServerPolicy = trusted.IsSmtpServer(Host, Port) ? null : policy;
            ProxyPolicy = Proxy is { } proxy && !trusted.IsProxy(proxy.Host, proxy.Port) ? policy : null;
            OAuth2Policy = policy;
        }

        OAuth2 = Destination.OAuth2 is { } client ? new OAuthSettings(this, client) : null;
    }

    /// <summary>Gets the policy the SMTP server is checked against on connect, or <see langword="null"/> when the host's configuration named it.</summary>
    public DestinationPolicy? ServerPolicy { get; }

    /// <summary>Gets the policy the proxy is checked against on connect, or <see langword="null"/> when the host's configuration named it (or there is none).</summary>
    public DestinationPolicy? ProxyPolicy { get; }

    /// <summary>Gets the policy for OAuth2 endpoints that differ from the configuration's, or <see langword="null"/> when the settings are the host's alone.</summary>
    public DestinationPolicy? OAuth2Policy { get; }

    /// <summary>Gets how long the server may take to greet: <see cref="SystemMailOptions.GreetingTimeout"/>, at most <see cref="Timeout"/>.</summary>
    public TimeSpan GreetingTimeout => Options.GreetingTimeout < Options.Timeout ? Options.GreetingTimeout : Options.Timeout;

    /// <summary>Gets how the mail leaves: over SMTP or through Microsoft Graph.</summary>
    public MailTransport Transport => Destination.Transport;

    /// <summary>Gets Graph's <c>sendMail</c> URL of the mailbox (<see cref="Username"/>), or <see langword="null"/> for SMTP.</summary>
    public Uri? GraphSendMailUri => Destination.GraphBaseUrl is { } root
        ? new Uri(root, $"v1.0/users/{Uri.EscapeDataString(Username ?? string.Empty)}/sendMail")
        : null;

    /// <summary>Gets where these settings send, and so where their secrets may go.</summary>
    public SmtpDestination Destination { get; }

    /// <summary>Gets the effective OAuth2 settings, or <see langword="null"/> when the authentication is not OAuth2.</summary>
    public OAuthSettings? OAuth2 { get; }

    public SystemMailOptions Options { get; }

    public ISmtpProviderTemplate Template { get; }

    public string Host => Destination.Host;

    public int Port => Destination.Port;

    public SmtpSecurity Security => Destination.Security;

    public SslProtocols MinimumTlsVersion { get; }

    public string? Username => Destination.Username;

    public MailboxAddress From { get; }

    public SmtpAuthenticationType Authentication => Options.Authentication;

    public TimeSpan Timeout => Options.Timeout;

    public string Endpoint => $"{Host}:{Port}";

    /// <summary>Gets the proxy the connection goes through, or <see langword="null"/> when there is none (no proxy host).</summary>
    public SmtpProxyOptions? Proxy => Destination.Proxy;

    /// <summary>Gets the proxy as <c>host:port</c>, or <see langword="null"/> when there is none.</summary>
    public string? ProxyEndpoint => Proxy is { } proxy ? $"{proxy.Host!.Trim()}:{proxy.Port}" : null;

    /// <summary>Gets the proxy's kind as people write it (SOCKS5, HTTP), or <see langword="null"/> when there is none.</summary>
    public string? ProxyKind => Proxy?.Type switch
    {
        null => null,
        SmtpProxyType.Socks4 => "SOCKS4",
        SmtpProxyType.Http => "HTTP",
        SmtpProxyType.Https => "HTTPS",
        _ => "SOCKS5",
    };

    public RemoteCertificateValidationCallback? CertificateValidation => Options.ServerCertificateValidationCallback;

    /// <summary>TLS versions from the minimum up; the platform picks the newest both ends support.</summary>
    public SslProtocols AllowedTlsVersions => MinimumTlsVersion switch
    {
        SslProtocols.Tls13 => SslProtocols.Tls13,
        _ => SslProtocols.Tls12 | SslProtocols.Tls13,
    };

    /// <summary>Builds the effective settings. Call only with options that passed validation.</summary>
    public static SmtpSettings Create(SystemMailOptions options, ISmtpProviderCatalog catalog)
    {
        if (!catalog.TryGet(options.Provider, out var template))
        {
            throw new SystemMailException(
                SystemMailErrorKind.Configuration,
                $"The SMTP provider '{options.Provider}' is not known.",
                Hints.UnknownProvider(string.Join(", ", catalog.Templates.Select(t => t.Id))));
        }

        return new SmtpSettings(options, template);
    }
}
