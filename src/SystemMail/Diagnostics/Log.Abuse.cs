using Microsoft.Extensions.Logging;

namespace SystemMail;

/// <summary>The log lines about mails refused to protect users (event ids 15xx). None takes an address as a parameter.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1500, Level = LogLevel.Warning, Message = "A {MailKind} mail was not sent: its recipient {RecipientKey} already received {PermitLimit} such mails within {Window}")]
    public static partial void RecipientLimited(ILogger logger, string mailKind, string recipientKey, int permitLimit, TimeSpan window);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Warning, Message = "The recipient limit could not be checked, so the mail is sent without it")]
    public static partial void RecipientLimitUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Warning, Message = "A {MailKind} mail was not sent: its link points at {LinkOrigin}, not at the product's origin {ProductOrigin}")]
    public static partial void LinkNotAllowed(ILogger logger, string mailKind, string linkOrigin, string productOrigin);
}
