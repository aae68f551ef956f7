using MailKit.Net.Smtp;
using MimeKit;

namespace SystemMail;

/// <summary>
/// Refuses a mail whose envelope needs <c>SMTPUTF8</c> (a non-ASCII local part, RFC 6531) on a connection whose server
/// does not offer it. MailKit would send such an address as raw UTF-8 without the extension, which a server may take,
/// mangle or bounce later; the check fails the mail at once, before MAIL FROM, with a hint.
/// </summary>
internal static class SmtpUtf8Check
{
    /// <summary>Gets the failure for <paramref name="message"/> on <paramref name="client"/>, or <see langword="null"/> when it may be sent.</summary>
    public static SystemMailException? Check(SmtpClient client, MimeMessage message, string endpoint)
    {
        if (client.Capabilities.HasFlag(SmtpCapabilities.UTF8))
        {
            return null;
        }

        // The envelope as MailKit makes it: the Sender, else the first From; every To, Cc and Bcc.
        var sender = message.Sender ?? message.From.Mailboxes.FirstOrDefault();
        if (sender is not null && MailAddressRules.NeedsSmtpUtf8(sender))
        {
            return new SystemMailException(
                SystemMailErrorKind.Configuration,
                "The sender address has non-ASCII characters before the @, and the server does not offer SMTPUTF8.",
                Hints.SmtpUtf8NotOffered(endpoint));
        }

        foreach (var recipient in message.To.Mailboxes.Concat(message.Cc.Mailboxes).Concat(message.Bcc.Mailboxes))
        {
            if (MailAddressRules.NeedsSmtpUtf8(recipient))
            {
                return new SystemMailException(
                    SystemMailErrorKind.InvalidRecipient,
                    "A recipient address has non-ASCII characters before the @, and the server does not offer SMTPUTF8.",
                    Hints.SmtpUtf8NotOffered(endpoint));
            }
        }

        return null;
    }
}
