using Microsoft.Extensions.Logging;

namespace SystemMail;

/// <summary>The log lines about saved templates (event ids 18xx). None takes a template's text or a mail's values.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1800, Level = LogLevel.Error, Message = "The saved {Kind} template ({Culture}, version {Version}) failed as a mail was rendered; the built-in text was sent instead: {Reason}")]
    public static partial void SavedTemplateFellBack(ILogger logger, SystemMailKind kind, string culture, string version, string reason);

    [LoggerMessage(EventId = 1801, Level = LogLevel.Warning, Message = "The saved templates could not be read from the token store ({Store}: {ErrorType}); the templates read last stay in use")]
    public static partial void SavedTemplatesUnavailable(ILogger logger, string store, string errorType);

    [LoggerMessage(EventId = 1802, Level = LogLevel.Error, Message = "The saved templates (version {Version}) are not SystemMail's templates (damaged, or written by something else); the built-in ones apply until a template is saved again")]
    public static partial void SavedTemplatesUnreadable(ILogger logger, string version);
}
