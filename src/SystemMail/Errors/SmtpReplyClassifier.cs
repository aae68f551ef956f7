using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using static SystemMail.SmtpFailure;

namespace SystemMail;

/// <summary>
/// Classifies what the SMTP server answered (a refused AUTH, MAIL FROM, RCPT TO or DATA) or did not offer (AUTH):
/// a reply in the table of <see cref="KnownSmtpReplies"/> gets its row's kind and hint, any other by its code and command.
/// </summary>
internal static class SmtpReplyClassifier
{
    /// <summary>AUTH failed: wrong credentials, or a reply that says something else is to fix (TLS first, try again later).</summary>
    /// <param name="exception">MailKit's exception, with the reply inside or in its message.</param>
    /// <param name="settings">The settings the connection was opened with.</param>
    /// <param name="observedReply">The server's last error reply when the caller saw it, for an exception that lost it.</param>
    public static SystemMailException ClassifyAuthentication(AuthenticationException exception, SmtpSettings settings, SmtpServerReply? observedReply)
    {
        var endpoint = settings.Endpoint;
        var reply = exception.InnerException is SmtpCommandException command
            ? SmtpServerReply.From((int)command.StatusCode, command.Message)
            : SmtpServerReply.FromAuthenticationMessage(exception.Message);
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

    /// <summary>MailKit's answer to "530 Authentication required" at MAIL FROM: the server takes no anonymous mail.</summary>
    public static SystemMailException ClassifyNotAuthenticated(ServiceNotAuthenticatedException exception, SmtpSettings settings)
    {
        var reply = SmtpServerReply.From((int)SmtpStatusCode.AuthenticationRequired, exception.Message);
        var hint = KnownSmtpReplies.Match(SmtpCommand.MailFrom, reply, settings)?.Hint ?? Hints.AuthenticationRequired;
        return Create(SystemMailErrorKind.Authentication, $"The server at {settings.Endpoint} requires authentication", hint, reply, exception);
    }

    /// <summary>MailKit's answer to a server whose EHLO offers no AUTH when the settings log in.</summary>
    public static SystemMailException ClassifyAuthNotOffered(Exception exception, SmtpSettings settings) =>
        Create(SystemMailErrorKind.Configuration, $"The server at {settings.Endpoint} does not support authentication", Hints.AuthNotOffered(settings.Endpoint, settings.Security), default, exception);

    /// <summary>A command other than AUTH was refused: the greeting, EHLO, MAIL FROM, RCPT TO or DATA.</summary>
    public static SystemMailException ClassifyCommand(SmtpCommandException command, SmtpSettings settings)
    {
        var reply = SmtpServerReply.From((int)command.StatusCode, command.Message);
        var code = reply.StatusCode;
        var endpoint = settings.Endpoint;

        if (command.ErrorCode == SmtpErrorCode.SenderNotAccepted && command.StatusCode == SmtpStatusCode.ExceededStorageAllocation)
        {
            // RFC 1870: MAIL FROM refused with 552 means the declared SIZE is over the server's limit, not a refused sender.
            return Create(SystemMailErrorKind.MessageRejected, $"The server at {endpoint} refused the message as too large", Hints.MessageRejected, reply, command);
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
            return Create(known.Kind, what, known.Hint, reply, command);
        }

        if (code is >= 400 and < 500)
        {
            return Create(SystemMailErrorKind.Transient, $"The server at {endpoint} reported a temporary failure", Hints.Transient, reply, command);
        }

        return command.ErrorCode switch
        {
            SmtpErrorCode.SenderNotAccepted => Create(
                SystemMailErrorKind.SenderRejected,
                $"The server at {endpoint} refused the sender '{command.Mailbox?.Address ?? settings.From.Address}'",
                Hints.SenderRejected(settings.From.Address),
                reply,
                command),
            SmtpErrorCode.RecipientNotAccepted => Create(
                SystemMailErrorKind.RecipientRejected,
                $"The server at {endpoint} refused the recipient '{command.Mailbox?.Address}'",
                Hints.RecipientRejected,
                reply,
                command),
            SmtpErrorCode.MessageNotAccepted => Create(
                SystemMailErrorKind.MessageRejected,
                $"The server at {endpoint} refused the message",
                Hints.MessageRejected,
                reply,
                command),
            _ => Create(SystemMailErrorKind.Unknown, $"The server at {endpoint} answered {code}", Hints.Unknown, reply, command),
        };
    }
}
