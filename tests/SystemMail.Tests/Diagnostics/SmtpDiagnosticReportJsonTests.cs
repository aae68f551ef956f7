using System.Text.Json;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.Diagnostics;

/// <summary>A host returns the report as JSON: System.Text.Json writes it with enums as strings and reads it back the same.</summary>
public sealed class SmtpDiagnosticReportJsonTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Serialize_FailedTlsReport_RoundTripsWithEnumsAsStrings()
    {
        // Arrange: a report with every kind of value: steps, a certificate with dates and lists, a failure.
        var ct = TestContext.Current.CancellationToken;
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Certificate = TestCertificate.CreateForWrongName(), AuthOptional = true }, ct);
        await using var mail = TestMailer.Create(o =>
        {
            o.Host = "localhost";
            o.Port = server.Port;
            o.Security = SmtpSecurity.StartTls;
        });
        var report = await mail.Diagnostics().TestConnectionAsync(System.Globalization.CultureInfo.GetCultureInfo("zh-Hans"), ct);

        // Act
        var json = JsonSerializer.Serialize(report);
        var back = JsonSerializer.Deserialize<SmtpDiagnosticReport>(json);

        // Assert
        Assert.NotNull(back);
        Assert.Equal(json, JsonSerializer.Serialize(back));
        Assert.Contains("\"FailedStage\":\"Tls\"", json, StringComparison.Ordinal);
        Assert.Contains("\"ErrorKind\":\"Tls\"", json, StringComparison.Ordinal);
        Assert.Contains("\"Security\":\"StartTls\"", json, StringComparison.Ordinal);
        Assert.Contains("\"Operation\":\"TestConnection\"", json, StringComparison.Ordinal);
        Assert.Contains("\"Outcome\":\"NotRun\"", json, StringComparison.Ordinal);
        Assert.Equal(SmtpDiagnosticStage.Tls, back.FailedStage);
        Assert.Equal(report.Steps.Select(s => (s.Stage, s.Outcome, s.Duration)), back.Steps.Select(s => (s.Stage, s.Outcome, s.Duration)));
        Assert.Equal(report.Tls!.CertificateNotAfter, back.Tls!.CertificateNotAfter);
        Assert.Equal(["mail.example.org"], back.Tls.CertificateDnsNames);
        Assert.Equal(report.Hint, back.Hint);
        Assert.Equal("zh-Hans", back.HintLanguage);
        Assert.Equal(report.Transcript, back.Transcript);
    }

    [Fact]
    public async Task Serialize_SentMailReportWithWebDefaults_RoundTrips()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { AuthOptional = true }, ct);
        await using var mail = TestMailer.For(server);
        var report = await mail.Diagnostics().SendTestMailAsync("someone@example.com", cancellationToken: ct);

        // Act
        var json = JsonSerializer.Serialize(report, Web);
        var back = JsonSerializer.Deserialize<SmtpDiagnosticReport>(json, Web);

        // Assert
        Assert.True(report.Succeeded, report.ToString());
        Assert.NotNull(back);
        Assert.Equal(json, JsonSerializer.Serialize(back, Web));
        Assert.Contains("\"succeeded\":true", json, StringComparison.Ordinal);
        Assert.Contains("\"stage\":\"MailFrom\"", json, StringComparison.Ordinal);
        Assert.Contains("\"failedStage\":null", json, StringComparison.Ordinal);
        Assert.Equal(report.MessageId, back.MessageId);
        Assert.Equal(report.Capabilities, back.Capabilities);
        Assert.Equal(250, back.Steps[^1].Reply?.StatusCode);
    }
}
