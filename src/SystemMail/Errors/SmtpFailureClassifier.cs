using System.Globalization;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using MailKit;
using MailKit.Net.Proxy;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace SystemMail;

/// <summary>Turns what MailKit, sockets and TLS throw into one <see cref="SystemMailException"/> with a kind and a hint.</summary>
internal static partial class SmtpFailureClassifier
{
    /// <param name="exception">What MailKit, a socket or TLS threw.</param>
    /// <param name="stage">Where in the conversation it happened.</param>
    /// <param name="settings">The settings the connection was opened with.</param>
    /// <param name="observedReply">The server's last error reply when the caller saw it (a protocol log), for exceptions that lost it.</param>
    public static SystemMailException Classify(Exception exception, SmtpStage stage, SmtpSettings settings, SmtpServerReply? observedReply = null)
    {
        if (exception is SystemMailException already)
        {
            return already;
        }

        if (stage == SmtpStage.Proxy && settings.Proxy is { } proxy)
        {
            return ClassifyProxy(exception, proxy, settings);
        }

        var endpoint = settings.Endpoint;

        switch (exception)
        {
            case AuthenticationException auth:
            {
                var reply = auth.InnerException is SmtpCommandException command
                    ? SmtpServerReply.From((int)command.StatusCode, command.Message)
                    : SmtpServerReply.FromAuthenticationMessage(auth.Message);
                if (reply is null && observedReply is { StatusCode: >= 400 } observed)
                {
                    // MailKit moves on to the next mechanism after a 534 and, when none is left, throws without a reply.
                    reply = observed;
                }

                var known = KnownSmtpReplies.Match(SmtpCommand.Auth, reply, settings);
                if (known is { Kind: not SystemMailErrorKind.Authentication } || (known is null && reply?.StatusCode is >= 400 and < 500))
                {
                    return known is { } other
                        ? Create(other.Kind, $"Authentication at {endpoint} failed", other.Hint, reply, exception)
                        : Create(SystemMailErrorKind.Transient, $"Authentication at {endpoint} failed temporarily", Hints.Transient, reply, exception);
                }

                return Create(SystemMailErrorKind.Authentication, $"Authentication at {endpoint} as '{settings.Username}' failed", known?.Hint ?? Hints.WrongCredentials, reply, exception);
            }

            case SmtpCommandException command:
                return ClassifyCommand(command, settings, exception);

            case ServiceNotAuthenticatedException notAuthenticated:
            {
                // MailKit's answer to "530 Authentication required" at MAIL FROM: the server takes no anonymous mail.
                var reply = SmtpServerReply.From((int)SmtpStatusCode.AuthenticationRequired, notAuthenticated.Message);
                var hint = KnownSmtpReplies.Match(SmtpCommand.MailFrom, reply, settings)?.Hint ?? Hints.AuthenticationRequired;
                return Create(SystemMailErrorKind.Authentication, $"The server at {endpoint} requires authentication", hint, reply, exception);
            }

            case SslHandshakeException handshake:
                return Create(SystemMailErrorKind.Tls, $"The TLS handshake with {endpoint} failed", TlsHint(handshake, settings), null, exception);

            case System.Security.Authentication.AuthenticationException tls:
                return Create(SystemMailErrorKind.Tls, $"The TLS handshake with {endpoint} failed", TlsHint(tls, settings), null, exception);

            case NotSupportedException when IsConnecting(stage):
                return Create(SystemMailErrorKind.Configuration, $"The server at {endpoint} does not support STARTTLS", Hints.StartTlsNotOffered(endpoint), null, exception);

            case NotSupportedException when stage == SmtpStage.Authenticate:
                return Create(SystemMailErrorKind.Configuration, $"The server at {endpoint} does not support authentication", Hints.AuthNotOffered(endpoint, settings.Security), null, exception);

            case TimeoutException or OperationCanceledException:
                return IsConnecting(stage)
                    ? Create(SystemMailErrorKind.Timeout, $"Connecting to {endpoint} timed out after {settings.Timeout.TotalSeconds:0.#} s", Hints.ConnectTimeout(endpoint), null, exception)
                    : Create(SystemMailErrorKind.Timeout, $"The server at {endpoint} did not answer within {settings.Timeout.TotalSeconds:0.#} s", Hints.CommandTimeout(endpoint), null, exception);
        }

        if (Find<SocketException>(exception) is { } socket)
        {
            return socket.SocketErrorCode switch
            {
                SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData =>
                    Create(SystemMailErrorKind.Connection, $"The SMTP host '{settings.Host}' was not found", Hints.HostNotFound(settings.Host), null, exception),
                SocketError.ConnectionRefused =>
                    Create(SystemMailErrorKind.Connection, $"The connection to {endpoint} was refused", Hints.ConnectionRefused(endpoint), null, exception),
                SocketError.TimedOut =>
                    Create(SystemMailErrorKind.Timeout, $"Connecting to {endpoint} timed out", Hints.ConnectTimeout(endpoint), null, exception),
                _ => Create(SystemMailErrorKind.Connection, $"The connection to {endpoint} failed ({socket.SocketErrorCode})", Hints.ConnectionLost(endpoint), null, exception),
            };
        }

        if (exception is IOException or SmtpProtocolException or ServiceNotConnectedException)
        {
            // A TLS client hello answered by a plain "220" greeting surfaces as an I/O or protocol error.
            return IsConnecting(stage) && settings.Security == SmtpSecurity.SslOnConnect
                ? Create(SystemMailErrorKind.Tls, $"The TLS handshake with {endpoint} failed", Hints.ImplicitTlsAgainstPlainPort(endpoint), null, exception)
                : Create(SystemMailErrorKind.Connection, $"The connection to {endpoint} was lost", Hints.ConnectionLost(endpoint), null, exception);
        }

        return Create(SystemMailErrorKind.Unknown, $"Sending through {endpoint} failed ({exception.GetType().Name})", Hints.Unknown, null, exception);
    }

    /// <summary>Whether a failure on a reused pooled connection means the server had closed it while idle.</summary>
    /// <remarks>
    /// A 421 is the server closing the channel (RFC 5321, 3.8), whatever its text: Postfix says "timeout exceeded",
    /// Office 365 "Connection timed out", others "shutting down". Nothing of the mail was accepted, so sending it
    /// once on a new connection cannot deliver it twice.
    /// </remarks>
    public static bool IsDroppedConnection(Exception exception) =>
        exception is IOException or SmtpProtocolException or ServiceNotConnectedException
            or SmtpCommandException { StatusCode: SmtpStatusCode.ServiceNotAvailable };

    /// <summary>
    /// A failure before the proxy's tunnel to the SMTP server stood: the proxy is named as the problem, with the
    /// proxy settings to check. MailKit reports a refusal as <see cref="ProxyProtocolException"/> with the proxy's
    /// answer (an HTTP status line, a SOCKS reply) in its message, and a refused SOCKS5 login as its
    /// <see cref="AuthenticationException"/>; neither carries the password.
    /// </summary>
    private static SystemMailException ClassifyProxy(Exception exception, SmtpProxyOptions proxy, SmtpSettings settings)
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
                        : Create(SystemMailErrorKind.Authentication, $"{Capitalize(at)} requires a user name and password ({status.Value})", Hints.ProxyCredentialsRequired(proxyEndpoint), null, exception);
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
                    null,
                    exception);
            }

            case ProxyProtocolException when !http && !hasCredentials && exception.Message.Contains("authentication method", StringComparison.OrdinalIgnoreCase):
                // SOCKS5: none of the offered methods (no authentication) is acceptable to the proxy.
                return Create(SystemMailErrorKind.Authentication, $"{Capitalize(at)} requires a user name and password", Hints.ProxyCredentialsRequired(proxyEndpoint), null, exception);

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
                    null,
                    exception);
            }

            case ProxyProtocolException:
                // No HTTP status line, an unknown SOCKS version: something else listens on the proxy's port.
                return Create(SystemMailErrorKind.Configuration, $"The proxy at {proxyEndpoint} did not answer in the {kind} protocol", Hints.ProxyProtocolMismatch(proxyEndpoint, kind), null, exception);

            case SslHandshakeException or System.Security.Authentication.AuthenticationException:
                return Create(SystemMailErrorKind.Tls, $"The TLS handshake with {at} failed", Hints.ProxyTlsFailed(proxyEndpoint), null, exception);

            case TimeoutException or OperationCanceledException:
                return Create(SystemMailErrorKind.Timeout, $"Connecting to {endpoint} through {at} timed out after {settings.Timeout.TotalSeconds:0.#} s", Hints.ProxyTimeout(proxyEndpoint, endpoint), null, exception);
        }

        if (Find<SocketException>(exception) is { } socket)
        {
            return socket.SocketErrorCode switch
            {
                SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData =>
                    Create(SystemMailErrorKind.Connection, $"The {kind} proxy host '{proxy.Host!.Trim()}' was not found", Hints.ProxyHostNotFound(proxy.Host!.Trim()), null, exception),
                SocketError.ConnectionRefused =>
                    Create(SystemMailErrorKind.Connection, $"The connection to {at} was refused", Hints.ProxyConnectionRefused(proxyEndpoint), null, exception),
                SocketError.TimedOut =>
                    Create(SystemMailErrorKind.Timeout, $"Connecting to {at} timed out", Hints.ProxyTimeout(proxyEndpoint, endpoint), null, exception),
                _ => Create(SystemMailErrorKind.Connection, $"The connection to {at} failed ({socket.SocketErrorCode})", Hints.ProxyConnectionLost(proxyEndpoint), null, exception),
            };
        }

        return exception is IOException
            ? Create(SystemMailErrorKind.Connection, $"The connection to {at} was lost", Hints.ProxyConnectionLost(proxyEndpoint), null, exception)
            : Create(SystemMailErrorKind.Unknown, $"Connecting through {at} failed ({exception.GetType().Name})", Hints.Unknown, null, exception);

        SystemMailException CredentialsRefused(string detail) =>
            Create(SystemMailErrorKind.Authentication, $"{Capitalize(at)} refused the user name '{proxy.Username}' or its password{detail}", Hints.ProxyCredentialsRefused(proxyEndpoint), null, exception);
    }

    /// <summary>Whether the stage comes before authentication: the connection and its greeting, EHLO and TLS.</summary>
    private static bool IsConnecting(SmtpStage stage) => stage is not (SmtpStage.Proxy or SmtpStage.Authenticate or SmtpStage.Send);

    private static string Capitalize(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>The status line of the proxy's answer to <c>CONNECT</c>, such as <c>HTTP/1.1 407 Proxy Authentication Required</c>.</summary>
    [GeneratedRegex(@"HTTP/1\.[01] ([1-5][0-9]{2})[^\r\n]*", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex HttpStatusLine();

    private static SystemMailException ClassifyCommand(SmtpCommandException command, SmtpSettings settings, Exception exception)
    {
        var reply = SmtpServerReply.From((int)command.StatusCode, command.Message);
        var code = reply.StatusCode;
        var endpoint = settings.Endpoint;

        if (command.ErrorCode == SmtpErrorCode.SenderNotAccepted && command.StatusCode == SmtpStatusCode.ExceededStorageAllocation)
        {
            // RFC 1870: MAIL FROM refused with 552 means the declared SIZE is over the server's limit, not a refused sender.
            return Create(SystemMailErrorKind.MessageRejected, $"The server at {endpoint} refused the message as too large", Hints.MessageRejected, reply, exception);
        }

        var answered = command.ErrorCode switch
        {
            SmtpErrorCode.SenderNotAccepted => SmtpCommand.MailFrom,
            SmtpErrorCode.RecipientNotAccepted => SmtpCommand.RcptTo,
            SmtpErrorCode.MessageNotAccepted => SmtpCommand.Data,
            _ => SmtpCommand.Connect,
        };
        if (KnownSmtpReplies.Match(answered, reply, settings) is { } known)
        {
            var what = known.Kind switch
            {
                SystemMailErrorKind.Configuration => $"The server at {endpoint} requires STARTTLS",
                SystemMailErrorKind.Authentication => $"The server at {endpoint} requires authentication",
                _ => $"The server at {endpoint} refused the sender '{command.Mailbox?.Address ?? settings.From.Address}'",
            };
            return Create(known.Kind, what, known.Hint, reply, exception);
        }

        if (code is >= 400 and < 500)
        {
            return Create(SystemMailErrorKind.Transient, $"The server at {endpoint} reported a temporary failure", Hints.Transient, reply, exception);
        }

        return command.ErrorCode switch
        {
            SmtpErrorCode.SenderNotAccepted => Create(
                SystemMailErrorKind.SenderRejected,
                $"The server at {endpoint} refused the sender '{command.Mailbox?.Address ?? settings.From.Address}'",
                Hints.SenderRejected(settings.From.Address),
                reply,
                exception),
            SmtpErrorCode.RecipientNotAccepted => Create(
                SystemMailErrorKind.RecipientRejected,
                $"The server at {endpoint} refused the recipient '{command.Mailbox?.Address}'",
                Hints.RecipientRejected,
                reply,
                exception),
            SmtpErrorCode.MessageNotAccepted => Create(
                SystemMailErrorKind.MessageRejected,
                $"The server at {endpoint} refused the message",
                Hints.MessageRejected,
                reply,
                exception),
            _ => Create(SystemMailErrorKind.Unknown, $"The server at {endpoint} answered {code}", Hints.Unknown, reply, exception),
        };
    }

    private static Hint TlsHint(Exception exception, SmtpSettings settings)
    {
        // MailKit's own message lists every possible cause; the platform's inner messages say which one it was.
        var text = string.Join(" | ", Chain(exception).Where(e => e is not SslHandshakeException).Select(e => e.Message));
        var endpoint = settings.Endpoint;
        if (exception is SslHandshakeException { ServerCertificate: not null } ||
            text.Contains("certificate", StringComparison.OrdinalIgnoreCase))
        {
            return Hints.CertificateUntrusted(endpoint);
        }

        if (text.Contains("protocol version", StringComparison.OrdinalIgnoreCase) ||
            text.Contains("no protocols available", StringComparison.OrdinalIgnoreCase) ||
            text.Contains("unsupported protocol", StringComparison.OrdinalIgnoreCase))
        {
            return settings.MinimumTlsVersion == System.Security.Authentication.SslProtocols.Tls13
                ? Hints.Tls13NotOffered(endpoint)
                : Hints.ServerTlsTooOld(endpoint);
        }

        return settings.Security == SmtpSecurity.SslOnConnect
            ? Hints.ImplicitTlsAgainstPlainPort(endpoint)
            : Hints.TlsFailed(endpoint);
    }

    private static SystemMailException Create(SystemMailErrorKind kind, string what, Hint hint, SmtpServerReply? reply, Exception inner)
    {
        var message = reply is not null ? $"{what}: {reply.StatusCode} {reply.Text.TrimEnd('.')}." : $"{what}.";
        return new SystemMailException(kind, message, hint, reply?.StatusCode, reply?.EnhancedStatusCode, reply?.Text, inner);
    }

    private static T? Find<T>(Exception exception)
        where T : Exception => Chain(exception).OfType<T>().FirstOrDefault();

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            yield return current;
        }
    }
}
