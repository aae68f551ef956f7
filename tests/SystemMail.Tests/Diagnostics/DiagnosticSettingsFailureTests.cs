using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.Diagnostics;

/// <summary>
/// What only a diagnostic checks before it connects: unsaved settings and the recipient. Connection failures are in
/// <see cref="Connection.ConnectionFailureTests"/>, sent and diagnosed alike.
/// </summary>
public sealed class DiagnosticSettingsFailureTests
{
    [Fact]
    public async Task TestConnectionAsync_UnsavedSettingsWithoutHost_FailsAtSettingsWithoutConnecting()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var mail = TestMailer.Create(o =>
        {
            o.Host = "127.0.0.1";
            o.Port = TcpPorts.GetUnusedPort();
        });
        Action<SystemMailOptions> form = o =>
        {
            o.From = TestMailer.Sender;
            o.Provider = "custom";
            o.Host = null;
            o.Port = 587;
        };

        // Act
        var report = await mail.Diagnostics().TestConnectionAsync(form, cancellationToken: ct);

        // Assert
        DiagnosticAssert.FailedAt(report, SmtpDiagnosticStage.Settings, SystemMailErrorKind.Configuration, nameof(Hints.InvalidSettings));
        Assert.Contains("Host", report.Error, StringComparison.Ordinal);
        Assert.Single(report.Steps);
        Assert.Null(report.ServerReply);
        Assert.Empty(report.Transcript);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not an address")]
    [InlineData("someone@example.com\r\nBcc: x@example.com")]
    public async Task SendTestMailAsync_InvalidRecipient_ThrowsArgumentException(string recipient)
    {
        // Arrange
        await using var mail = TestMailer.Create(o =>
        {
            o.Host = "127.0.0.1";
            o.Port = TcpPorts.GetUnusedPort();
        });

        // Act
        var ex = await Record.ExceptionAsync(() => mail.Diagnostics().SendTestMailAsync(recipient, cancellationToken: TestContext.Current.CancellationToken));

        // Assert
        Assert.IsAssignableFrom<ArgumentException>(ex);
    }
}
