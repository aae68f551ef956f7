using Microsoft.Extensions.Logging;

namespace SystemMail;

/// <summary>The log lines of "Test connection" and "Send test email" (event ids 13xx). None takes a secret as a parameter.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "Mail diagnostic {Operation} through {Endpoint} succeeded in {ElapsedMilliseconds} ms")]
    public static partial void DiagnosticSucceeded(ILogger logger, SmtpDiagnosticOperation operation, string endpoint, long elapsedMilliseconds);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Mail diagnostic {Operation} through {Endpoint} failed at {Stage} ({ErrorKind}, status {StatusCode}, hint {HintId})")]
    public static partial void DiagnosticFailed(ILogger logger, SmtpDiagnosticOperation operation, string endpoint, SmtpDiagnosticStage? stage, SystemMailErrorKind? errorKind, string statusCode, string? hintId);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "The stored {Setting} was not used to test {Endpoint}: it was saved for another server, user or client")]
    public static partial void StoredSecretNotReused(ILogger logger, string setting, string endpoint);
}
