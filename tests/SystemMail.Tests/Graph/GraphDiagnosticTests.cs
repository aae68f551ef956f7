using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SystemMail.Tests.Infrastructure.Graph;

namespace SystemMail.Tests.Graph;

/// <summary>"Test connection", "Send test email" and the health check over Microsoft Graph.</summary>
public sealed class GraphDiagnosticTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SendTestMailAsync_Graph_SettingsTokenAndGraphSendSucceedWithRequestIdAndNoSecret()
    {
        // Arrange
        await using var mail = await GraphMail.StartAsync(cancellationToken: Ct);
        var diagnostics = mail.CreateInstance().GetRequiredService<ISystemMailDiagnostics>();

        // Act
        var report = await diagnostics.SendTestMailAsync("admin@contoso.test", cancellationToken: Ct);

        // Assert
        Assert.True(report.Succeeded, report.ToString());
        Assert.Equal([SmtpDiagnosticStage.Settings, SmtpDiagnosticStage.Token, SmtpDiagnosticStage.GraphSend], report.Steps.Select(s => s.Stage));
        Assert.All(report.Steps, s => Assert.Equal(SmtpDiagnosticOutcome.Succeeded, s.Outcome));
        Assert.Equal(202, report.Steps[2].Reply!.StatusCode);
        Assert.NotNull(report.RequestId);
        var received = Assert.Single(mail.Graph.Mails);
        Assert.Equal(report.MessageId, received.Parse().MessageId);
        Assert.Equal("office365-graph", report.Provider);
        Assert.Equal("localhost", report.Host);
        Assert.Contains("Bearer ********", report.Transcript, StringComparison.Ordinal);
        Assert.DoesNotContain(received.AccessToken, report.Transcript, StringComparison.Ordinal);
        Assert.DoesNotContain(mail.Authorization.Client.ClientSecret, System.Text.Json.JsonSerializer.Serialize(report), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendTestMailAsync_GraphDeniesAccess_FailsAtGraphSendWithStatusErrorCodeRequestIdAndHint()
    {
        // Arrange
        await using var mail = await GraphMail.StartAsync(cancellationToken: Ct);
        var diagnostics = mail.CreateInstance().GetRequiredService<ISystemMailDiagnostics>();
        mail.Graph.Fail(GraphTestFailure.AccessDenied);

        // Act
        var report = await diagnostics.SendTestMailAsync("admin@contoso.test", cancellationToken: Ct);

        // Assert
        Assert.False(report.Succeeded);
        Assert.Equal(SmtpDiagnosticStage.GraphSend, report.FailedStage);
        Assert.Equal(SystemMailErrorKind.Authentication, report.ErrorKind);
        Assert.Equal(nameof(Hints.GraphPermissionMissing), report.HintId);
        Assert.Equal(403, report.ServerReply!.StatusCode);
        Assert.Contains("ErrorAccessDenied", report.ServerReply.Text, StringComparison.Ordinal);
        Assert.Contains(report.RequestId!, report.ServerReply.Text, StringComparison.Ordinal);
        Assert.Null(report.MessageId);
    }

    [Fact]
    public async Task TestConnectionAsync_Graph_ObtainsATokenAndSendsNothing()
    {
        // Arrange
        await using var mail = await GraphMail.StartAsync(cancellationToken: Ct);
        var diagnostics = mail.CreateInstance().GetRequiredService<ISystemMailDiagnostics>();

        // Act
        var report = await diagnostics.TestConnectionAsync(cancellationToken: Ct);

        // Assert
        Assert.True(report.Succeeded, report.ToString());
        Assert.Equal([SmtpDiagnosticStage.Settings, SmtpDiagnosticStage.Token], report.Steps.Select(s => s.Stage));
        Assert.Equal(1, mail.Authorization.TokenRequests);
        Assert.Equal(0, mail.Graph.Requests);
    }

    [Fact]
    public async Task TestConnectionAsync_WrongClientSecret_FailsAtTokenWithClientCredentialsHint()
    {
        // Arrange
        await using var mail = await GraphMail.StartAsync(cancellationToken: Ct);
        mail.Change("OAuth2:ClientSecret", "not-the-secret");
        var diagnostics = mail.CreateInstance().GetRequiredService<ISystemMailDiagnostics>();

        // Act
        var report = await diagnostics.TestConnectionAsync(cancellationToken: Ct);

        // Assert
        Assert.Equal(SmtpDiagnosticStage.Token, report.FailedStage);
        Assert.Equal(nameof(Hints.ClientCredentialsRefused), report.HintId);
        Assert.DoesNotContain("not-the-secret", report.Transcript + report.Error, StringComparison.Ordinal);
        Assert.Equal(0, mail.Graph.Requests);
    }

    [Fact]
    public async Task SendTestMailAsync_UnsavedGraphBaseUrl_StoredSecretWithheldAndNeitherEndpointReached()
    {
        // Arrange: the form points at another Graph endpoint and leaves the client secret blank.
        await using var mail = await GraphMail.StartAsync(cancellationToken: Ct);
        var diagnostics = mail.CreateInstance().GetRequiredService<ISystemMailDiagnostics>();
        var second = await mail.StartSecondGraphAsync(Ct);

        // Act
        var report = await diagnostics.SendTestMailAsync("admin@contoso.test", o => o.GraphBaseUrl = second.BaseUri, cancellationToken: Ct);

        // Assert
        Assert.Equal(SmtpDiagnosticStage.Settings, report.FailedStage);
        Assert.Equal(nameof(Hints.StoredSecretNotReused), report.HintId);
        Assert.Equal(0, second.Requests);
        Assert.Equal(0, mail.Graph.Requests);
        Assert.Equal(0, mail.Authorization.TokenRequests);
    }

    [Fact]
    public async Task CheckHealthAsync_Graph_HealthyWithATokenThenDegradedAfterARefusedSend()
    {
        // Arrange
        await using var mail = await GraphMail.StartAsync(cancellationToken: Ct);
        var instance = mail.CreateInstance(services => services.AddHealthChecks().AddSystemMail(cacheDuration: TimeSpan.Zero));
        var health = instance.GetRequiredService<HealthCheckService>();

        // Act
        var before = (await health.CheckHealthAsync(Ct)).Entries["systemmail"];
        mail.Graph.Fail(GraphTestFailure.MailboxNotFound);
        await Assert.ThrowsAsync<SystemMailException>(() => GraphTransportTests.SendAsync(instance.GetRequiredService<ISystemMailer>(), SystemMailKind.Test, "user@contoso.test"));
        var after = (await health.CheckHealthAsync(Ct)).Entries["systemmail"];

        // Assert
        Assert.Equal(HealthStatus.Healthy, before.Status);
        Assert.Equal(HealthStatus.Degraded, after.Status);
        Assert.Equal("Configuration", after.Data["errorKind"]);
        Assert.Equal(1, mail.Graph.Requests);
    }
}
