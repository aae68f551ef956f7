namespace SystemMail;

/// <summary>What kind of failure a <see cref="SystemMailException"/> reports, for code that reacts to it.</summary>
public enum SystemMailErrorKind
{
    /// <summary>A failure SystemMail could not classify; see the inner exception.</summary>
    Unknown = 0,

    /// <summary>The settings cannot work (missing value, unsupported combination, server without AUTH).</summary>
    Configuration = 1,

    /// <summary>The server could not be reached or closed the connection (DNS failure, refused, reset).</summary>
    Connection = 2,

    /// <summary>The TLS handshake failed (wrong port or security, untrusted or mismatched certificate, old TLS version).</summary>
    Tls = 3,

    /// <summary>The server refused the credentials or the OAuth2 token, or tokens must be generated again.</summary>
    Authentication = 4,

    /// <summary>The server refused the sender (<c>MAIL FROM</c>): the From address is not allowed for this account.</summary>
    SenderRejected = 5,

    /// <summary>The server refused a recipient (<c>RCPT TO</c>).</summary>
    RecipientRejected = 6,

    /// <summary>The server refused the message itself (<c>DATA</c>): size, content or policy.</summary>
    MessageRejected = 7,

    /// <summary>A temporary failure (4xx reply, token endpoint unavailable): the same mail may succeed later.</summary>
    Transient = 8,

    /// <summary>The server did not answer within <see cref="SystemMailOptions.Timeout"/>.</summary>
    Timeout = 9,

    /// <summary>The provider's sending limit was reached and no slot freed up in time; <see cref="SystemMailException.RetryAfter"/> says when to try again.</summary>
    Throttled = 10,

    /// <summary>
    /// The mailer refused a recipient address before sending: not a bare address, too long, with a character that
    /// reverses text direction, or with non-ASCII characters before the <c>@</c> for a server without <c>SMTPUTF8</c>.
    /// </summary>
    InvalidRecipient = 11,

    /// <summary>
    /// The recipient already received <see cref="SystemMailRecipientLimitOptions.PermitLimit"/> mails of the kinds anyone
    /// can request within the window; the mail was not sent. <see cref="SystemMailException.RetryAfter"/> says when one may go out again.
    /// </summary>
    RecipientLimited = 12,

    /// <summary>A link in the mail points at another origin than <see cref="SystemMailProductOptions.Url"/>; the mail was not sent.</summary>
    LinkNotAllowed = 13,
}
