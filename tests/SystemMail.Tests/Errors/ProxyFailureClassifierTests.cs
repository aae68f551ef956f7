using MailKit.Net.Proxy;

namespace SystemMail.Tests.Errors;

public sealed class ProxyFailureClassifierTests
{
    [Theory]
    [InlineData(429, SystemMailErrorKind.Transient)]
    [InlineData(408, SystemMailErrorKind.Transient)]
    [InlineData(403, SystemMailErrorKind.Configuration)]
    [InlineData(502, SystemMailErrorKind.Connection)]
    public void Classify_HttpProxyAnswersConnectWithStatus_KindFollowsWhetherTryingAgainHelps(int status, SystemMailErrorKind expected)
    {
        // Arrange
        var settings = Settings(SmtpProxyType.Http);
        var refused = new ProxyProtocolException($"Failed to connect to smtp.example.com:587: HTTP/1.1 {status} Refused\r\n\r\n");

        // Act
        var ex = SmtpFailureClassifier.Classify(refused, SmtpStage.Proxy, settings);

        // Assert
        Assert.Equal(expected, ex.Kind);
        Assert.Equal(expected is SystemMailErrorKind.Transient or SystemMailErrorKind.Connection, ex.IsTransient);
        Assert.Contains("proxy.example.com:8080", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Command not supported.", SystemMailErrorKind.Configuration)]
    [InlineData("Address type not supported.", SystemMailErrorKind.Configuration)]
    [InlineData("Connection not allowed by ruleset.", SystemMailErrorKind.Configuration)]
    [InlineData("Connection refused.", SystemMailErrorKind.Connection)]
    [InlineData("Host unreachable.", SystemMailErrorKind.Connection)]
    public void Classify_Socks5ProxyRepliesWithFailure_SettingsProblemsAreNotRetried(string reason, SystemMailErrorKind expected)
    {
        // Arrange
        var settings = Settings(SmtpProxyType.Socks5);
        var refused = new ProxyProtocolException($"Failed to connect to smtp.example.com:587: {reason}");

        // Act
        var ex = SmtpFailureClassifier.Classify(refused, SmtpStage.Proxy, settings);

        // Assert
        Assert.Equal(expected, ex.Kind);
        Assert.Contains(reason.TrimEnd('.'), ex.Message, StringComparison.Ordinal);
    }

    private static SmtpSettings Settings(SmtpProxyType type) => SmtpSettings.Create(
        new SystemMailOptions
        {
            From = "no-reply@example.com",
            Provider = "custom",
            Host = "smtp.example.com",
            Port = 587,
            Authentication = SmtpAuthenticationType.Basic,
            Username = "mailer@example.com",
            Password = "Pw-proxy-classifier",
            Proxy = new SmtpProxyOptions { Type = type, Host = "proxy.example.com", Port = 8080 },
        },
        new SmtpProviderCatalog([]));
}
