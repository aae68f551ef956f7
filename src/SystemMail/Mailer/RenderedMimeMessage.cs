using System.Text;
using MimeKit;

namespace SystemMail;

/// <summary>
/// A system mail SystemMail rendered and built itself, carrying an upper bound of its size on the wire so the
/// MAIL FROM command can declare SIZE without serializing the whole message an extra time.
/// </summary>
internal sealed class RenderedMimeMessage : MimeMessage
{
    /// <summary>Above this estimate the message is measured exactly, so a coarse bound never comes near a server's limit.</summary>
    internal const long LargestEstimate = 256 * 1024;

    public RenderedMimeMessage(HeaderList headers, RenderedMail rendered, MailboxAddress from, MailboxAddress recipient)
        : base(headers)
    {
        SizeEstimate = Estimate(rendered, from, recipient);
    }

    /// <summary>
    /// Gets an upper bound of the size of the message as sent, in bytes, or <see langword="null"/> when the bound
    /// is too coarse to declare (over <see cref="LargestEstimate"/>) and the message should be measured.
    /// </summary>
    /// <remarks>
    /// RFC 1870 asks for the client's estimate of the size. Every byte of text becomes at most a few bytes on the
    /// wire (quoted-printable "=XX" with soft line breaks, base64, or an RFC 2047 encoded word in a header), so
    /// four bytes per byte of text plus the fixed headers bound the message from above; a server compares it with
    /// a limit of megabytes.
    /// </remarks>
    public long? SizeEstimate { get; }

    private static long? Estimate(RenderedMail rendered, MailboxAddress from, MailboxAddress recipient)
    {
        const int FixedHeaders = 2048;
        var text = (long)Encoding.UTF8.GetByteCount(rendered.Subject) +
                   Encoding.UTF8.GetByteCount(rendered.Text) +
                   Encoding.UTF8.GetByteCount(rendered.Html) +
                   Encoding.UTF8.GetByteCount(from.Name ?? string.Empty) + from.Address.Length +
                   Encoding.UTF8.GetByteCount(recipient.Name ?? string.Empty) + recipient.Address.Length;
        var estimate = (4 * text) + FixedHeaders;
        return estimate <= LargestEstimate ? estimate : null;
    }
}
