using Microsoft.Extensions.Logging;

namespace SystemMail;

/// <summary>The log lines about the settings in effect (event ids 14xx). None takes a secret as a parameter.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1400, Level = LogLevel.Warning, Message = "AllowInsecureAuthentication is in use: {Authentication} credentials go unencrypted (Security None) to {Endpoint}, which is not on this machine")]
    public static partial void InsecureAuthenticationInUse(ILogger logger, SmtpAuthenticationType authentication, string endpoint);
}
