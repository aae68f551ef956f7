using Microsoft.Extensions.Logging;

namespace SystemMail;

/// <summary>The log lines of the Microsoft Graph transport (event ids 16xx). None takes a token as a parameter.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1600, Level = LogLevel.Information, Message = "Microsoft Graph refused the access token for mailbox {Mailbox} ({ErrorCode}, request-id {RequestId}); trying once more with a fresh token")]
    public static partial void GraphAccessTokenRejected(ILogger logger, string mailbox, string errorCode, string requestId);
}
