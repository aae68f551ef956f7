using System.Buffers.Text;
using MimeKit;

namespace SystemMail;

/// <summary>
/// The body of a Graph <c>sendMail</c> request in MIME form: the message exactly as SystemMail built it (headers, both
/// parts, Message-Id), written with CRLF line ends and base64-encoded, sent as <c>text/plain</c>.
/// </summary>
internal static class GraphMime
{
    private static readonly FormatOptions Format = CreateFormat();

    /// <summary>Writes the message as Graph receives it, before the base64 encoding.</summary>
    public static byte[] Write(MimeMessage message, CancellationToken cancellationToken = default)
    {
        using var stream = new MemoryStream();
        message.WriteTo(Format, stream, cancellationToken);
        return stream.ToArray();
    }

    /// <summary>The request body: <see cref="Write"/>'s bytes in base64, as ASCII.</summary>
    public static byte[] Encode(MimeMessage message, CancellationToken cancellationToken = default)
    {
        var mime = Write(message, cancellationToken);
        var encoded = new byte[Base64.GetMaxEncodedToUtf8Length(mime.Length)];
        Base64.EncodeToUtf8(mime, encoded, out _, out var written);
        return written == encoded.Length ? encoded : encoded[..written];
    }

    private static FormatOptions CreateFormat()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        return format;
    }
}
