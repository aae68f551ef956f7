using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace SystemMail;

/// <summary>Turns what MailKit, sockets and TLS throw into one <see cref="SystemMailException"/> with a kind and a hint.</summary>
internal static class SmtpFailureClassifier
{
    /// <param name="exception">What MailKit, a socket or TLS threw.</param>
    /// <param name="stage">Where in the conversation it happened.</param>
    /// <param name="settings">The settings the connection was opened with.</param>
    /// <param name="observedReply">The server's last error reply when the caller saw it (a protocol log), for exceptions that lost it.</param>
    public static SystemMailException Classify(Exception exception, SmtpStage stage, SmtpSettings settings, SmtpReply? observedReply = null)
    {
        if (exception is SystemMailException already)
        {
            return already;
        }

        var endpoint = settings.Endpoint;

        switch (exception)
        {
            case AuthenticationException auth:
            {
                var reply = auth.InnerException is SmtpCommandException command
                    ? SmtpReply.From((int)command.StatusCode, command.Message)
                    : SmtpReply.FromAuthenticationMessage(auth.Message);
                if (reply.StatusCode is null && observedReply is { StatusCode: >= 400 } observed)
                {
                    // MailKit moves on to the next mechanism after a 534 and, when none is left, throws without a reply.
                    reply = observed;
                }

                var known = KnownSmtpReplies.Match(SmtpCommand.Auth, reply, settings);
                if (known is { Kind: not SystemMailErrorKind.Authentication } || (known is null && reply.StatusCode is >= 400 and < 500))
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
                var reply = SmtpReply.From((int)SmtpStatusCode.AuthenticationRequired, notAuthenticated.Message);
                var hint = KnownSmtpReplies.Match(SmtpCommand.MailFrom, reply, settings)?.Hint ?? Hints.AuthenticationRequired;
                return Create(SystemMailErrorKind.Authentication, $"The server at {endpoint} requires authentication", hint, reply, exception);
            }

            case SslHandshakeException handshake:
                return Create(SystemMailErrorKind.Tls, $"The TLS handshake with {endpoint} failed", TlsHint(handshake, settings), default, exception);

            case System.Security.Authentication.AuthenticationException tls:
                return Create(SystemMailErrorKind.Tls, $"The TLS handshake with {endpoint} failed", TlsHint(tls, settings), default, exception);

            case NotSupportedException when stage == SmtpStage.Connect:
                return Create(SystemMailErrorKind.Configuration, $"The server at {endpoint} does not support STARTTLS", Hints.StartTlsNotOffered(endpoint), default, exception);

            case NotSupportedException when stage == SmtpStage.Authenticate:
                return Create(SystemMailErrorKind.Configuration, $"The server at {endpoint} does not support authentication", Hints.AuthNotOffered(endpoint, settings.Security), default, exception);

            case TimeoutException or OperationCanceledException:
                return stage == SmtpStage.Connect
                    ? Create(SystemMailErrorKind.Timeout, $"Connecting to {endpoint} timed out after {settings.Timeout.TotalSeconds:0.#} s", Hints.ConnectTimeout(endpoint), default, exception)
                    : Create(SystemMailErrorKind.Timeout, $"The server at {endpoint} did not answer within {settings.Timeout.TotalSeconds:0.#} s", Hints.CommandTimeout(endpoint), default, exception);
        }

        if (Find<SocketException>(exception) is { } socket)
        {
            return socket.SocketErrorCode switch
            {
                SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData =>
                    Create(SystemMailErrorKind.Connection, $"The SMTP host '{settings.Host}' was not found", Hints.HostNotFound(settings.Host), default, exception),
                SocketError.ConnectionRefused =>
                    Create(SystemMailErrorKind.Connection, $"The connection to {endpoint} was refused", Hints.ConnectionRefused(endpoint), default, exception),
                SocketError.TimedOut =>
                    Create(SystemMailErrorKind.Timeout, $"Connecting to {endpoint} timed out", Hints.ConnectTimeout(endpoint), default, exception),
                _ => Create(SystemMailErrorKind.Connection, $"The connection to {endpoint} failed ({socket.SocketErrorCode})", Hints.ConnectionLost(endpoint), default, exception),
            };
        }

        if (exception is IOException or SmtpProtocolException or ServiceNotConnectedException)
        {
            // A TLS client hello answered by a plain "220" greeting surfaces as an I/O or protocol error.
            return stage == SmtpStage.Connect && settings.Security == SmtpSecurity.SslOnConnect
                ? Create(SystemMailErrorKind.Tls, $"The TLS handshake with {endpoint} failed", Hints.ImplicitTlsAgainstPlainPort(endpoint), default, exception)
                : Create(SystemMailErrorKind.Connection, $"The connection to {endpoint} was lost", Hints.ConnectionLost(endpoint), default, exception);
        }

        return Create(SystemMailErrorKind.Unknown, $"Sending through {endpoint} failed ({exception.GetType().Name})", Hints.Unknown, default, exception);
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

    private static SystemMailException ClassifyCommand(SmtpCommandException command, SmtpSettings settings, Exception exception)
    {
        var reply = SmtpReply.From((int)command.StatusCode, command.Message);
        var code = reply.StatusCode ?? 0;
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

    private static SystemMailException Create(SystemMailErrorKind kind, string what, Hint hint, SmtpReply reply, Exception inner)
    {
        var message = reply.StatusCode is { } code ? $"{what}: {code} {reply.Text?.TrimEnd('.')}." : $"{what}.";
        return new SystemMailException(kind, message, hint, reply.StatusCode, reply.EnhancedStatusCode, reply.Text, inner);
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
