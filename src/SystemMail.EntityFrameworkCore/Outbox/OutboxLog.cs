using Microsoft.Extensions.Logging;

namespace SystemMail.EntityFrameworkCore;

/// <summary>The outbox's log messages; a mail is named by its outbox id and Message-Id, never by its recipient or body.</summary>
internal static partial class OutboxLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Outbox mail {Id} (<{MessageId}>) sent after {Attempts} attempt(s).")]
    public static partial void Sent(ILogger logger, Guid id, string messageId, int attempts);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Outbox mail {Id} failed ({Kind}, status {Status}); tried again at {NextAttemptAt:O}.")]
    public static partial void Retrying(ILogger logger, Guid id, SystemMailErrorKind kind, string status, DateTime nextAttemptAt);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "Outbox mail {Id} dead-lettered ({Kind}, status {Status}, hint {HintId}).")]
    public static partial void DeadLettered(ILogger logger, Guid id, SystemMailErrorKind kind, string status, string? hintId);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "{Count} outbox mail(s) expired unsent: their not-after time passed.")]
    public static partial void Expired(ILogger logger, int count);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Outbox mail {Id}: another instance took the mail over before this one recorded its outcome ({Outcome}).")]
    public static partial void LeaseLost(ILogger logger, Guid id, string outcome);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Error, Message = "The outbox dispatcher failed a round; it tries again.")]
    public static partial void RoundFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Error, Message = "Outbox mail {Id} dead-lettered: its body could not be read (was the Data Protection key ring lost?).")]
    public static partial void BodyUnreadable(ILogger logger, Exception exception, Guid id);
}
