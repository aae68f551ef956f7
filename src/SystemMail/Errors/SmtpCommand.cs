namespace SystemMail;

/// <summary>The SMTP command a server reply answered, for the table of known replies.</summary>
internal enum SmtpCommand
{
    /// <summary>Matches a reply to any command.</summary>
    Any,

    /// <summary>The greeting, EHLO or STARTTLS.</summary>
    Connect,

    Auth,

    MailFrom,

    RcptTo,

    Data,
}
