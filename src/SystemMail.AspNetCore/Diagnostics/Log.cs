using Microsoft.Extensions.Logging;

namespace SystemMail.AspNetCore;

/// <summary>Every log line SystemMail.AspNetCore writes, with stable event ids. None takes a secret as a parameter.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Mail settings saved (provider {Provider}, authentication {Authentication}, version {Version})")]
    public static partial void SettingsSaved(ILogger logger, string provider, SmtpAuthenticationType authentication, string version);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Mail settings saved elsewhere were loaded (version {Version})")]
    public static partial void SettingsReloaded(ILogger logger, string version);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "The provider information changed ({Changes}): the stored OAuth2 tokens were deleted")]
    public static partial void TokensDiscarded(ILogger logger, string changes);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Reading the saved mail settings again failed; the current settings stay in use")]
    public static partial void SettingsReloadFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Error, Message = "The saved mail settings (version {Version}) are set aside until they are saved again. {Problem}")]
    public static partial void SavedSettingsUnreadable(ILogger logger, string version, string problem);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Saving the mail settings failed: another administrator saved first")]
    public static partial void SaveConflict(ILogger logger);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information, Message = "Test {Test} through {Endpoint} succeeded in {ElapsedMilliseconds} ms")]
    public static partial void TestSucceeded(ILogger logger, string test, string endpoint, long elapsedMilliseconds);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Warning, Message = "Test {Test} through {Endpoint} failed at {Stage} ({ErrorKind}, status {StatusCode}): {Hint}")]
    public static partial void TestFailed(ILogger logger, string test, string endpoint, string stage, SystemMailErrorKind errorKind, int? statusCode, string? hint);

    [LoggerMessage(EventId = 2020, Level = LogLevel.Warning, Message = "Generating the OAuth2 access token failed ({ErrorKind}): {Message}")]
    public static partial void AuthorizationFailed(ILogger logger, SystemMailErrorKind errorKind, string message);

    [LoggerMessage(EventId = 2030, Level = LogLevel.Error, Message = "Sending the Identity {MailKind} mail failed ({ErrorKind}, status {StatusCode}): {Hint}")]
    public static partial void IdentityMailFailed(ILogger logger, Exception exception, string mailKind, SystemMailErrorKind errorKind, int? statusCode, string? hint);

    [LoggerMessage(EventId = 2040, Level = LogLevel.Information, Message = "Audit: {Administrator} saved the mail settings (version {Version}); changed: {Fields}")]
    public static partial void AuditSettingsSaved(ILogger logger, string administrator, string version, string fields);

    [LoggerMessage(EventId = 2041, Level = LogLevel.Information, Message = "Audit: {Administrator} ran {Test}; unsaved changes: {Fields}")]
    public static partial void AuditTestRun(ILogger logger, string administrator, string test, string fields);

    [LoggerMessage(EventId = 2042, Level = LogLevel.Information, Message = "Audit: {Administrator} started generating the OAuth2 access token")]
    public static partial void AuditTokenGenerationStarted(ILogger logger, string administrator);

    [LoggerMessage(EventId = 2043, Level = LogLevel.Information, Message = "Audit: {Administrator} generated the OAuth2 access token")]
    public static partial void AuditTokensGenerated(ILogger logger, string administrator);

    [LoggerMessage(EventId = 2044, Level = LogLevel.Information, Message = "Audit: {Administrator} cleared the OAuth2 tokens ({Reason})")]
    public static partial void AuditTokensCleared(ILogger logger, string administrator, string reason);
}
