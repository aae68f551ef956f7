using MimeKit;

namespace SystemMail.Tests.Infrastructure;

/// <summary>A message the test server accepted: its envelope, the connection it came on and the parsed message.</summary>
/// <param name="Id">The server's sequence number of the message, from 1.</param>
/// <param name="ConnectionId">The server's id of the connection the message came on.</param>
/// <param name="Secure">Whether that connection was encrypted (implicit TLS or after STARTTLS).</param>
/// <param name="AuthenticatedUser">The user the connection authenticated as, or <see langword="null"/>.</param>
/// <param name="MailFrom">The envelope sender (<c>MAIL FROM</c>).</param>
/// <param name="RcptTo">The envelope recipients (<c>RCPT TO</c>).</param>
/// <param name="Raw">The message as received, for diagnostics.</param>
/// <param name="Message">The message parsed with MimeKit.</param>
public sealed record ReceivedMail(
    int Id,
    string ConnectionId,
    bool Secure,
    string? AuthenticatedUser,
    string? MailFrom,
    IReadOnlyList<string> RcptTo,
    string Raw,
    MimeMessage Message)
{
    /// <summary>Gets when the server stored the message.</summary>
    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>Gets the size of the message as received, in bytes (CRLF line ends, dot-stuffing removed).</summary>
    public long Size { get; init; }

    /// <summary>Gets the size the client declared with <c>MAIL FROM ... SIZE=</c> (RFC 1870), or <see langword="null"/> when it declared none.</summary>
    public long? DeclaredSize { get; init; }
}
