using Microsoft.Extensions.Logging;

namespace SystemMail;

/// <summary>Every log line SystemMail writes, with stable event ids. None takes a secret as a parameter.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Sent {MailKind} mail {MessageId} through {Endpoint}")]
    public static partial void MailSent(ILogger logger, string mailKind, string messageId, string endpoint);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "Sending {MailKind} mail {MessageId} through {Endpoint} failed ({ErrorKind}, status {StatusCode}): {Hint}")]
    public static partial void MailFailed(ILogger logger, Exception exception, string mailKind, string messageId, string endpoint, SystemMailErrorKind errorKind, string statusCode, string? hint);

    [LoggerMessage(EventId = 1100, Level = LogLevel.Debug, Message = "Opened SMTP connection to {Endpoint} ({Security}, {Authentication} as {Username}) in {ElapsedMilliseconds} ms")]
    public static partial void ConnectionOpened(ILogger logger, string endpoint, SmtpSecurity security, SmtpAuthenticationType authentication, string? username, long elapsedMilliseconds);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Debug, Message = "Closed SMTP connection to {Endpoint}: {Reason}")]
    public static partial void ConnectionClosed(ILogger logger, string endpoint, string reason);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "The pooled connection to {Endpoint} had been closed by the server ({Reason}); sending on a new connection")]
    public static partial void ReusedConnectionDropped(ILogger logger, string endpoint, string reason);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "Mail settings changed (provider {Provider}, {Endpoint}); connections opened with the old settings are drained")]
    public static partial void SettingsChanged(ILogger logger, string provider, string endpoint);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "Closing the SMTP connection to {Endpoint} failed")]
    public static partial void CloseFailed(ILogger logger, string endpoint, Exception exception);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Debug, Message = "Connecting to {Endpoint} through the {ProxyKind} proxy at {ProxyEndpoint}")]
    public static partial void ConnectingThroughProxy(ILogger logger, string endpoint, string proxyKind, string proxyEndpoint);

    [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "OAuth2 authorization started for {Provider} mailbox {Username}")]
    public static partial void AuthorizationStarted(ILogger logger, string provider, string username);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "OAuth2 tokens generated for {Provider} mailbox {Username}")]
    public static partial void TokensGenerated(ILogger logger, string provider, string username);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Debug, Message = "OAuth2 access token refreshed for {Provider} mailbox {Username}")]
    public static partial void TokenRefreshed(ILogger logger, string provider, string username);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "The {Provider} token endpoint refused the refresh token for {Username} ({Error}); the access token must be generated again")]
    public static partial void RefreshRefused(ILogger logger, string provider, string username, string error);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "OAuth2 tokens for {Provider} were deleted because the provider information changed ({Changed})")]
    public static partial void TokensDiscarded(ILogger logger, string provider, string changed);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Debug, Message = "Another instance saved newer OAuth2 tokens for {Provider}; keeping them")]
    public static partial void NewerTokensKept(ILogger logger, string provider);

    [LoggerMessage(EventId = 1206, Level = LogLevel.Warning, Message = "A token status handler threw")]
    public static partial void StatusHandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1207, Level = LogLevel.Information, Message = "The server refused the OAuth2 access token for {Username}; refreshing it and trying once more")]
    public static partial void AccessTokenRejected(ILogger logger, string username);

    [LoggerMessage(EventId = 1208, Level = LogLevel.Warning, Message = "The token store could not be read to check the {Provider} tokens ({ErrorType}); the access token in memory, still valid, stays in use until the next check")]
    public static partial void TokenCheckFailed(ILogger logger, string provider, string errorType);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Sending failed ({ErrorKind}, status {StatusCode}); retry {Attempt} in {DelayMilliseconds} ms")]
    public static partial void Retrying(ILogger logger, int attempt, double delayMilliseconds, SystemMailErrorKind errorKind, string statusCode);

    /// <summary>The SMTP status for a log line: the code, or <c>none</c> when the failure had no server reply.</summary>
    public static string Status(int? statusCode) => statusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none";
}
