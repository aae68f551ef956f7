using MimeKit;
using MimeKit.Text;
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
    /// The headers go in as a <see cref="HeaderList"/>: MimeMessage's other constructors first make a From, Date,
    /// Subject and Message-Id (from the host name) of their own, and copy the parser options, only for all of it to
    /// be replaced. The body parts are made directly; BodyBuilder would add attachment collections it never fills.
    /// </para>
    /// <para>
    /// A MimeKit address list subscribes to the changes of the addresses put in it, so a long-lived address would keep
    /// every message alive: the shared sender is cloned, and <paramref name="recipient"/> must be made for this mail.
    /// </para>
    /// </remarks>
    public static MimeMessage Create(RenderedMail rendered, MailboxAddress from, MailboxAddress recipient, DateTimeOffset date)
    {
        var headers = new HeaderList
        {
            new Header(HeaderId.Subject, rendered.Subject),
            new Header(HeaderId.Date, DateUtils.FormatDate(date)),
            new Header(HeaderId.MessageId, "<" + MimeUtils.GenerateMessageId(from.Domain) + ">"),
            // RFC 3834: an automatic mail; mail servers and vacation responders must not answer it.
            new Header("Auto-Submitted", "auto-generated"),
        };
        var message = new RenderedMimeMessage(headers, rendered, from, recipient)
        {
            Body = new MultipartAlternative
            {
                new TextPart(TextFormat.Plain) { Text = rendered.Text },
                new TextPart(TextFormat.Html) { Text = rendered.Html },
            },
        };
        message.From.Add(from.Clone());
        message.To.Add(recipient);
        return message;
    }
}
