using Microsoft.Extensions.Logging;

namespace SystemMail.AspNetCore;

/// <summary>The audit lines of the template endpoints (event ids 21xx): who, which mail, which culture; never a template's text.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "{Administrator} saved the {Kind} template ({Culture}), version {Version}")]
    public static partial void TemplateSaved(ILogger logger, string administrator, SystemMailKind kind, string culture, string version);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "{Administrator} reset the {Kind} template ({Culture}) to the built-in one")]
    public static partial void TemplateReset(ILogger logger, string administrator, SystemMailKind kind, string culture);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "{Administrator} could not change the {Kind} template ({Culture}): someone else changed it first")]
    public static partial void TemplateSaveConflict(ILogger logger, string administrator, SystemMailKind kind, string culture);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Information, Message = "The {Kind} template ({Culture}) {Administrator} tried to save was refused with {ProblemCount} problem(s)")]
    public static partial void TemplateRefused(ILogger logger, string administrator, SystemMailKind kind, string culture, int problemCount);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Information, Message = "{Administrator} sent a test of the {Kind} template ({Culture})")]
    public static partial void TemplateTestSent(ILogger logger, string administrator, SystemMailKind kind, string culture);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Warning, Message = "A test of the {Kind} template ({Culture}) {Administrator} sent failed ({ErrorKind}): {Hint}")]
    public static partial void TemplateTestFailed(ILogger logger, string administrator, SystemMailKind kind, string culture, SystemMailErrorKind errorKind, string? hint);
}
