using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace SystemMail;

/// <summary>Turns what MailKit, sockets and TLS throw into one <see cref="SystemMailException"/> with a kind and a hint.</summary>
internal static class SmtpFailureClassifier
{
    public static SystemMailException Classify(Exception exception, SmtpStage stage, SmtpSettings settings)
    {
        if (exception is SystemMailException already)
        {
            return already;
        }

        var endpoint = settings.Endpoint;
        var provider = settings.Template.Id;

        switch (exception)
        {
            case AuthenticationException auth:
            {
                var reply = auth.InnerException is SmtpCommandException command
                    ? SmtpReply.From((int)command.StatusCode, command.Message)
                    : SmtpReply.FromAuthenticationMessage(auth.Message);
                if (reply.StatusCode is >= 400 and < 500)
                {
                    return Create(SystemMailErrorKind.Transient, $"Authentication at {endpoint} failed temporarily", Hints.Transient, reply, exception);
                }

                return Create(SystemMailErrorKind.Authentication, $"Authentication at {endpoint} as '{settings.Username}' failed", AuthenticationHint(provider, reply), reply, exception);
            }

            case SmtpCommandException command:
                return ClassifyCommand(command, settings, exception);

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

        if (code == 530 && reply.Text?.Contains("STARTTLS", StringComparison.OrdinalIgnoreCase) == true)
        {
            return Create(SystemMailErrorKind.Configuration, $"The server at {endpoint} requires STARTTLS", Hints.StartTlsRequired, reply, exception);
        }

        if (code is >= 400 and < 500)
        {
            return Create(SystemMailErrorKind.Transient, $"The server at {endpoint} reported a temporary failure", Hints.Transient, reply, exception);
        }

        if (command.ErrorCode == SmtpErrorCode.SenderNotAccepted && command.StatusCode == SmtpStatusCode.ExceededStorageAllocation)
        {
            // RFC 1870: MAIL FROM refused with 552 means the declared SIZE is over the server's limit, not a refused sender.
            return Create(SystemMailErrorKind.MessageRejected, $"The server at {endpoint} refused the message as too large", Hints.MessageRejected, reply, exception);
        }

        return command.ErrorCode switch
        {
            SmtpErrorCode.SenderNotAccepted => Create(
                SystemMailErrorKind.SenderRejected,
                $"The server at {endpoint} refused the sender '{command.Mailbox?.Address ?? settings.From.Address}'",
                settings.Template.Id == SmtpProviderTemplates.SendGridId ? Hints.SendGridSenderIdentity : Hints.SenderRejected(settings.From.Address),
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

    private static string AuthenticationHint(string provider, SmtpReply reply)
    {
        var enhanced = reply.EnhancedStatusCode;

        // Only the provider says it is Google: 5.7.8 ("authentication credentials invalid") and 5.7.9 ("mechanism too
        // weak") are RFC 4954's codes that every server sends, so a custom server's refusal gets the generic hint.
        if (string.Equals(provider, SmtpProviderTemplates.GoogleId, StringComparison.OrdinalIgnoreCase))
        {
            return Hints.GoogleCredentials;
        }

        if (string.Equals(provider, SmtpProviderTemplates.Office365Id, StringComparison.OrdinalIgnoreCase) || enhanced is "5.7.3" or "5.7.139" or "5.7.57")
        {
            return Hints.Office365AuthDisabled;
        }

        if (string.Equals(provider, SmtpProviderTemplates.SendGridId, StringComparison.OrdinalIgnoreCase))
        {
            return Hints.SendGridCredentials;
        }

        return Hints.WrongCredentials;
    }

    private static string TlsHint(Exception exception, SmtpSettings settings)
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
            return Hints.TlsVersion(endpoint);
        }

        return settings.Security == SmtpSecurity.SslOnConnect
            ? Hints.ImplicitTlsAgainstPlainPort(endpoint)
            : Hints.TlsFailed(endpoint);
    }

    private static SystemMailException Create(SystemMailErrorKind kind, string what, string hint, SmtpReply reply, Exception inner)
    {
        var message = reply.StatusCode is { } code ? $"{what}: {code} {reply.Text}." : $"{what}.";
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
