using System.Buffers;
using System.Text;
using MimeKit;

namespace SystemMail;

/// <summary>
/// The rules an address must meet before a mail goes to it: RFC 5321's lengths (254 octets for the address, 64 for the
/// local part), no character that changes the text direction (which can make one address read as another), and a
/// local part in ASCII unless the server offers <c>SMTPUTF8</c> (RFC 6531).
/// </summary>
internal static class MailAddressRules
{
    /// <summary>The longest address RFC 5321 allows in a path (256 octets with the angle brackets).</summary>
    public const int MaxAddressOctets = 254;

    /// <summary>The longest local part RFC 5321 allows.</summary>
    public const int MaxLocalPartOctets = 64;

    // The explicit directional formatting characters of Unicode's bidirectional algorithm (UAX #9): embeddings and
    // overrides, isolates, and the marks.
    private static readonly SearchValues<char> DirectionControls = SearchValues.Create("\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C");

    /// <summary>Gets whether <paramref name="value"/> holds a character that changes the text direction.</summary>
    public static bool HasDirectionControl(ReadOnlySpan<char> value) => value.IndexOfAny(DirectionControls) >= 0;

    /// <summary>Gets whether the address or its local part is longer than RFC 5321 allows, counted in UTF-8 octets.</summary>
    public static bool IsTooLong(MailboxAddress mailbox)
    {
        // Cheap bounds first: a UTF-8 octet count is at least the UTF-16 length.
        if (mailbox.Address.Length > MaxAddressOctets)
        {
            return true;
        }

        var local = Encoding.UTF8.GetByteCount(mailbox.LocalPart);
        return local > MaxLocalPartOctets || local + 1 + Encoding.UTF8.GetByteCount(mailbox.Domain) > MaxAddressOctets;
    }

    /// <summary>Gets whether the local part has characters outside ASCII, which only a server offering <c>SMTPUTF8</c> takes.</summary>
    /// <remarks>A non-ASCII domain needs no <c>SMTPUTF8</c>: MailKit sends it in its IDNA (punycode) form.</remarks>
    public static bool NeedsSmtpUtf8(MailboxAddress mailbox) => !Ascii.IsValid(mailbox.LocalPart);
}
