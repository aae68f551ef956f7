using System.Globalization;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using MailKit.Net.Proxy;
using MailKit.Security;
using static SystemMail.SmtpFailure;

namespace SystemMail;

/// <summary>
/// Classifies a failure before the proxy's tunnel to the SMTP server stood: the proxy is named as the problem, with the
/// proxy settings to check. MailKit reports a refusal as <see cref="ProxyProtocolException"/> with the proxy's
/// answer (an HTTP status line, a SOCKS reply) in its message, and a refused SOCKS5 login as its
/// <see cref="AuthenticationException"/>; neither carries the password.
/// </summary>
internal static partial class ProxyFailureClassifier
{
    public static SystemMailException Classify(Exception exception, SmtpProxyOptions proxy, SmtpSettings settings)
    {
        var proxyEndpoint = settings.ProxyEndpoint!;
        var kind = settings.ProxyKind!;
        var at = $"the {kind} proxy at {proxyEndpoint}";
        var endpoint = settings.Endpoint;
        var hasCredentials = !string.IsNullOrEmpty(proxy.Username);
        var http = proxy.Type is SmtpProxyType.Http or SmtpProxyType.Https;

        switch (exception)
        {
            case AuthenticationException:
                // SOCKS5 (RFC 1929): the proxy answered the user name and password with a failure status.
                return CredentialsRefused(string.Empty);

            case ProxyProtocolException refused when http && HttpStatusLine().Match(refused.Message) is { Success: true } status:
            {
                var code = int.Parse(status.Groups[1].Value, CultureInfo.InvariantCulture);
                if (code == 407)
                {
                    return hasCredentials
                        ? CredentialsRefused($" ({status.Value})")
                        : Create(SystemMailErrorKind.Authentication, $"{Capitalize(at)} requires a user name and password ({status.Value})", Hints.ProxyCredentialsRequired(proxyEndpoint), default, exception);
                }

                // 5xx: the proxy tried and could not reach the server; 408 and 429: try again later; any other 4xx:
                // its rules do not allow the connection.
                return Create(
                    code switch
                    {
                        >= 500 => SystemMailErrorKind.Connection,
                        408 or 429 => SystemMailErrorKind.Transient,
                        _ => SystemMailErrorKind.Configuration,
                    },
                    $"{Capitalize(at)} did not open a connection to {endpoint}: {status.Value}",
                    Hints.ProxyRefusedTarget(proxyEndpoint, endpoint),
                    default,
                    exception);
            }

            case ProxyProtocolException when !http && !hasCredentials && exception.Message.Contains("authentication method", StringComparison.OrdinalIgnoreCase):
                // SOCKS5: none of the offered methods (no authentication) is acceptable to the proxy.
                return Create(SystemMailErrorKind.Authentication, $"{Capitalize(at)} requires a user name and password", Hints.ProxyCredentialsRequired(proxyEndpoint), default, exception);

            case ProxyProtocolException refused when !http && refused.Message.StartsWith("Failed to connect to ", StringComparison.Ordinal):
            {
                // SOCKS reply: "Failed to connect to host:port: Connection refused." and the like.
                var reason = refused.Message[(refused.Message.LastIndexOf(": ", StringComparison.Ordinal) + 2)..].TrimEnd('.');
                return Create(
                    // "Connection not allowed by ruleset", "Command not supported", "Address type not supported": the
                    // proxy's settings, not the network.
                    reason.Contains("not allowed", StringComparison.OrdinalIgnoreCase) || reason.Contains("not supported", StringComparison.OrdinalIgnoreCase)
                        ? SystemMailErrorKind.Configuration
                        : SystemMailErrorKind.Connection,
                    $"{Capitalize(at)} did not open a connection to {endpoint}: {reason}",
                    Hints.ProxyRefusedTarget(proxyEndpoint, endpoint),
                    default,
                    exception);
            }

            case ProxyProtocolException:
                // No HTTP status line, an unknown SOCKS version: something else listens on the proxy's port.
                return Create(SystemMailErrorKind.Configuration, $"The proxy at {proxyEndpoint} did not answer in the {kind} protocol", Hints.ProxyProtocolMismatch(proxyEndpoint, kind), default, exception);

            case SslHandshakeException or System.Security.Authentication.AuthenticationException:
                return Create(SystemMailErrorKind.Tls, $"The TLS handshake with {at} failed", Hints.ProxyTlsFailed(proxyEndpoint), default, exception);

            case TimeoutException or OperationCanceledException:
                return Create(SystemMailErrorKind.Timeout, $"Connecting to {endpoint} through {at} timed out after {settings.Timeout.TotalSeconds:0.#} s", Hints.ProxyTimeout(proxyEndpoint, endpoint), default, exception);
        }

        if (Find<SocketException>(exception) is { } socket)
        {
            return socket.SocketErrorCode switch
            {
                SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData =>
                    Create(SystemMailErrorKind.Connection, $"The {kind} proxy host '{proxy.Host!.Trim()}' was not found", Hints.ProxyHostNotFound(proxy.Host!.Trim()), default, exception),
                SocketError.ConnectionRefused =>
                    Create(SystemMailErrorKind.Connection, $"The connection to {at} was refused", Hints.ProxyConnectionRefused(proxyEndpoint), default, exception),
                SocketError.TimedOut =>
                    Create(SystemMailErrorKind.Timeout, $"Connecting to {at} timed out", Hints.ProxyTimeout(proxyEndpoint, endpoint), default, exception),
                _ => Create(SystemMailErrorKind.Connection, $"The connection to {at} failed ({socket.SocketErrorCode})", Hints.ProxyConnectionLost(proxyEndpoint), default, exception),
            };
        }

        return exception is IOException
            ? Create(SystemMailErrorKind.Connection, $"The connection to {at} was lost", Hints.ProxyConnectionLost(proxyEndpoint), default, exception)
            : Create(SystemMailErrorKind.Unknown, $"Connecting through {at} failed ({exception.GetType().Name})", Hints.Unknown, default, exception);

        SystemMailException CredentialsRefused(string detail) =>
            Create(SystemMailErrorKind.Authentication, $"{Capitalize(at)} refused the user name '{proxy.Username}' or its password{detail}", Hints.ProxyCredentialsRefused(proxyEndpoint), default, exception);
    }

    private static string Capitalize(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>The status line of the proxy's answer to <c>CONNECT</c>, such as <c>HTTP/1.1 407 Proxy Authentication Required</c>.</summary>
    [GeneratedRegex(@"HTTP/1\.[01] ([1-5][0-9]{2})[^\r\n]*", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex HttpStatusLine();
}
