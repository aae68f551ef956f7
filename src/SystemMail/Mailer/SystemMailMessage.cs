using MimeKit;
using MimeKit.Utils;

namespace SystemMail;

/// <summary>Builds the MIME message of a rendered system mail.</summary>
internal static class SystemMailMessage
{
    /// <summary>
    /// Builds a multipart/alternative message (plain text, then HTML) with a fresh Message-Id in the sender's domain.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The headers go to MimeMessage's constructor: its parameterless constructor first makes a Date, a Subject and a
    /// Message-Id (from the host name) of its own, each then replaced: a quarter of the time it took to build a mail.
    /// </para>
    /// <para>
    /// A MimeKit address list subscribes to the changes of the addresses put in it, so a long-lived address would keep
    /// every message alive: the shared sender is cloned, and <paramref name="recipient"/> must be made for this mail.
    /// </para>
    /// </remarks>
    public static MimeMessage Create(RenderedMail rendered, MailboxAddress from, MailboxAddress recipient, DateTimeOffset date)
    {
        var message = new MimeMessage(
            new Header(HeaderId.Subject, rendered.Subject),
            new Header(HeaderId.Date, DateUtils.FormatDate(date)),
            new Header(HeaderId.MessageId, "<" + MimeUtils.GenerateMessageId(from.Domain) + ">"),
            // RFC 3834: an automatic mail; mail servers and vacation responders must not answer it.
            new Header("Auto-Submitted", "auto-generated"),
            new BodyBuilder { TextBody = rendered.Text, HtmlBody = rendered.Html }.ToMessageBody());
        message.From.Add(from.Clone());
        message.To.Add(recipient);
        return message;
    }
}
