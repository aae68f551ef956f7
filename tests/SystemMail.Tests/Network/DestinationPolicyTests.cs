using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.Network;

/// <summary>
/// Settings from a form under test (the settings page) may not reach this machine, link-local, metadata, unspecified
/// or multicast addresses unless the host's configuration allows them; the host's own settings are not checked.
/// </summary>
public sealed class DestinationPolicyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("::1")]
    public async Task TestConnectionAsync_UnsavedHostOnThisMachine_FailsAtSettingsWithoutAConnection(string host)
    {
        // Arrange: a listener that counts every connection it accepts; the host allows nothing extra.
        await using var listener = SilentTcpServer.Start();
        await using var mail = HostConfiguredMailer(allowed: []);

        // Act
        var report = await mail.Services.GetRequiredService<ISystemMailDiagnostics>().TestConnectionAsync(
            o =>
            {
                o.Host = host;
                o.Port = listener.Port;
            },
            cancellationToken: Ct);

        // Assert
        Assert.False(report.Succeeded);
        Assert.Equal(SmtpDiagnosticStage.Settings, report.FailedStage);
        Assert.Equal(SystemMailErrorKind.Configuration, report.ErrorKind);
        Assert.Equal("DestinationNotAllowed", report.HintId);
        Assert.Contains("AllowedDestinations", report.Hint, StringComparison.Ordinal);
        Assert.All(report.Steps.Skip(1), s => Assert.Contains(s.Outcome, new[] { SmtpDiagnosticOutcome.NotRun, SmtpDiagnosticOutcome.Skipped }));
        Assert.Equal(0, listener.AcceptedConnections);
    }

    [Fact]
    public async Task TestConnectionAsync_UnsavedNameResolvingToLoopback_ShowsNoResolvedAddress()
    {
        await using var listener = SilentTcpServer.Start();
        await using var mail = HostConfiguredMailer(allowed: []);

        var report = await mail.Services.GetRequiredService<ISystemMailDiagnostics>().TestConnectionAsync(
            o =>
            {
                o.Host = "localhost";
                o.Port = listener.Port;
            },
            cancellationToken: Ct);

        var json = JsonSerializer.Serialize(report);
        Assert.Equal("DestinationNotAllowed", report.HintId);
        Assert.DoesNotContain("127.0.0.1", json, StringComparison.Ordinal);
        Assert.DoesNotContain("::1", json, StringComparison.Ordinal);
        Assert.Equal(SmtpDiagnosticOutcome.NotRun, report.Steps.Single(s => s.Stage == SmtpDiagnosticStage.ResolveHost).Outcome);
        Assert.Equal(0, listener.AcceptedConnections);
    }

    [Theory]
    [InlineData("169.254.169.254", 80)]
    [InlineData("0.0.0.0", 25)]
    [InlineData("224.0.0.1", 25)]
    [InlineData("fe80::1", 25)]
    [InlineData("fd00:ec2::254", 80)]
    public async Task TestConnectionAsync_UnsavedMetadataLinkLocalUnspecifiedOrMulticast_FailsAtSettings(string host, int port)
    {
        await using var mail = HostConfiguredMailer(allowed: []);

        var report = await mail.Services.GetRequiredService<ISystemMailDiagnostics>().TestConnectionAsync(
            o =>
            {
                o.Host = host;
                o.Port = port;
            },
            cancellationToken: Ct);

        Assert.Equal(SmtpDiagnosticStage.Settings, report.FailedStage);
        Assert.Equal("DestinationNotAllowed", report.HintId);
    }

    [Theory]
    [InlineData("localhost", "localhost:{0}")]
    [InlineData("localhost", "127.0.0.1:*,[::1]:*")]
    [InlineData("127.0.0.1", "127.0.0.0/8:{0}")]
    public async Task TestConnectionAsync_UnsavedLoopbackHostAllowedByPattern_ReachesTheServer(string host, string allowed)
    {
        // Arrange: a real SMTP server on loopback; the host's configuration names another server and allows this one.
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { AuthOptional = true }, Ct);
        var patterns = string.Format(System.Globalization.CultureInfo.InvariantCulture, allowed, server.Port).Split(',');
        await using var mail = TestMailer.For(server, o =>
        {
            o.Host = "smtp.example.test";
            o.AllowedDestinations = patterns;
        });

        // Act
        var report = await mail.Services.GetRequiredService<ISystemMailDiagnostics>().TestConnectionAsync(
            o =>
            {
                o.Host = host;
                o.Port = server.Port;
            },
            cancellationToken: Ct);

        // Assert
        Assert.True(report.Succeeded, report.ToString());
        Assert.Equal(1, (await server.GetStatsAsync(Ct)).Connections);
    }

    [Fact]
    public async Task TestConnectionAsync_FormTriesToAllowItsOwnDestination_StillRefused()
    {
        await using var listener = SilentTcpServer.Start();
        await using var mail = HostConfiguredMailer(allowed: []);

        var report = await mail.Services.GetRequiredService<ISystemMailDiagnostics>().TestConnectionAsync(
            o =>
            {
                o.Host = "127.0.0.1";
                o.Port = listener.Port;
                o.AllowedDestinations = ["127.0.0.1:*"];
            },
            cancellationToken: Ct);

        Assert.Equal("DestinationNotAllowed", report.HintId);
        Assert.Equal(0, listener.AcceptedConnections);
    }

    [Fact]
    public async Task SendTestMailAsync_HostsOwnConfigurationOnLoopback_NotChecked()
    {
        // The host wrote 127.0.0.1 in its own settings: trusted, whatever AllowedDestinations says.
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { AuthOptional = true }, Ct);
        await using var mail = TestMailer.For(server, o => o.AllowedDestinations = []);

        await mail.Mailer.SendTestMailAsync("someone@example.com", cancellationToken: Ct);

        Assert.Single(await server.GetMessagesAsync(Ct));
    }

    [Fact]
    public async Task ConnectCallback_TokenEndpointFromThePageOnLoopback_RefusedWithoutAConnection()
    {
        // Arrange: the token endpoint's HTTP client, as SystemMail registers it, after a check found the endpoint from the page.
        await using var listener = SilentTcpServer.Start();
        await using var mail = HostConfiguredMailer(allowed: []);
        var endpoint = new Uri($"https://localhost:{listener.Port}/token");
        var guard = mail.Services.GetRequiredService<OAuthEndpointGuard>();
        var refused = await Assert.ThrowsAsync<SystemMailException>(() => guard.CheckAsync(endpoint, new DestinationPolicy([]), "The token endpoint", Ct));
        using var http = mail.Services.GetRequiredService<IHttpClientFactory>().CreateClient("SystemMail.OAuth2");

        // Act: a request that skips the check before it (as a rebinding name would) meets the one on connect.
        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(endpoint, Ct));

        // Assert
        Assert.Equal("DestinationNotAllowed", refused.HintId);
        Assert.True(DestinationPolicy.IsRefusal(ex.InnerException), ex.ToString());
        Assert.Equal(0, listener.AcceptedConnections);
    }

    /// <summary>A host whose own settings name a public server; forms under test point elsewhere.</summary>
    private static TestMailer HostConfiguredMailer(IList<string> allowed) => TestMailer.Create(o =>
    {
        o.Provider = "custom";
        o.Host = "smtp.example.test";
        o.Port = 25;
        o.Security = SmtpSecurity.None;
        o.Timeout = TimeSpan.FromSeconds(5);
        o.AllowedDestinations = allowed;
    });
}
