using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SystemMail.Tests.Infrastructure;
using SystemMail.Tests.OAuth2;

namespace SystemMail.Tests.Resilience;

/// <summary>The health check against real servers: it connects and authenticates, and never sends mail.</summary>
public sealed class HealthCheckTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<HealthReport> CheckAsync(IServiceProvider services) =>
        await services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);

    private static TestMailer Mailer(SmtpTestServer server, Action<SystemMailOptions>? configure = null) =>
        TestMailer.For(
            server,
            o =>
            {
                o.Authentication = SmtpAuthenticationType.Basic;
                o.Username = "mailer";
                o.Password = "right";
                configure?.Invoke(o);
            },
            services => services.AddHealthChecks().AddSystemMail(cacheDuration: TimeSpan.Zero));

    private static Task<SmtpTestServer> ServerAsync() =>
        SmtpTestServer.StartAsync(new SmtpTestServerOptions { Users = new Dictionary<string, string> { ["mailer"] = "right" } }, Ct);

    [Fact]
    public async Task CheckHealthAsync_ServerAnswersAndAuthenticates_HealthyWithoutSending()
    {
        await using var server = await ServerAsync();
        await using var mail = Mailer(server);

        var report = await CheckAsync(mail.Services);

        var entry = report.Entries["systemmail"];
        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal($"{server.Host}:{server.Port}", entry.Data["endpoint"]);
        var stats = await server.GetStatsAsync(Ct);
        Assert.Single(stats.AuthAttempts, a => a.Success);
        Assert.Equal(0, stats.CommandCount("MAIL"));
        Assert.Equal(1, stats.CommandCount("QUIT"));
        Assert.Empty(await server.GetMessagesAsync(Ct));
    }

    [Fact]
    public async Task CheckHealthAsync_NothingListens_Unhealthy()
    {
        await using var mail = TestMailer.Create(
            o =>
            {
                o.Host = "127.0.0.1";
                o.Port = TcpPorts.GetUnusedPort();
                o.Security = SmtpSecurity.None;
            },
            services => services.AddHealthChecks().AddSystemMail(cacheDuration: TimeSpan.Zero));

        var entry = (await CheckAsync(mail.Services)).Entries["systemmail"];

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Equal("Connection", entry.Data["errorKind"]);
    }

    [Fact]
    public async Task CheckHealthAsync_WrongPassword_UnhealthyWithoutThePassword()
    {
        await using var server = await ServerAsync();
        await using var mail = Mailer(server, o => o.Password = "Pw-health-7731");

        var entry = (await CheckAsync(mail.Services)).Entries["systemmail"];

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Equal("Authentication", entry.Data["errorKind"]);
        Assert.DoesNotContain("Pw-health-7731", entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckHealthAsync_WrongPassword_SaysTheHintOnce()
    {
        await using var server = await ServerAsync();
        await using var mail = Mailer(server, o => o.Password = "wrong");

        var entry = (await CheckAsync(mail.Services)).Entries["systemmail"];

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Equal(1, Occurrences(entry.Description, Hints.WrongCredentials.ToString()));
    }

    [Fact]
    public async Task CheckHealthAsync_LastSendFailed_Degraded()
    {
        await using var server = await ServerAsync();
        await server.SetBehaviourAsync(new SmtpTestServerBehaviour { RejectRecipients = [new SmtpTestRecipientRule("gone@acme.test", 550, "5.1.1 User unknown")] }, Ct);
        await using var mail = Mailer(server);
        await Assert.ThrowsAsync<SystemMailException>(() => mail.Mailer.SendTestMailAsync("gone@acme.test", cancellationToken: Ct));

        var degraded = (await CheckAsync(mail.Services)).Entries["systemmail"];
        await mail.Mailer.SendTestMailAsync("admin@acme.test", cancellationToken: Ct);
        var healthy = (await CheckAsync(mail.Services)).Entries["systemmail"];

        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Equal("RecipientRejected", degraded.Data["errorKind"]);
        Assert.Equal(HealthStatus.Healthy, healthy.Status);
    }

    [Fact]
    public async Task CheckHealthAsync_OAuth2TokensNotGenerated_DegradedAndTheSmtpServerIsNotAsked()
    {
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Custom, cancellationToken: Ct);
        var instance = mail.CreateInstance(services => services.AddHealthChecks().AddSystemMail(cacheDuration: TimeSpan.Zero));

        var before = (await CheckAsync(instance)).Entries["systemmail"];
        await mail.GenerateAccessTokenAsync(instance, Ct);
        var after = (await CheckAsync(instance)).Entries["systemmail"];

        Assert.Equal(HealthStatus.Degraded, before.Status);
        Assert.Contains("Generate access token", before.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Healthy, after.Status);
        Assert.Single((await mail.Smtp.GetStatsAsync(Ct)).AuthAttempts);
    }

    [Fact]
    public async Task CheckHealthAsync_OAuth2TokensNotGenerated_SaysTheHintOnce()
    {
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Custom, cancellationToken: Ct);
        var instance = mail.CreateInstance(services => services.AddHealthChecks().AddSystemMail(cacheDuration: TimeSpan.Zero));

        var entry = (await CheckAsync(instance)).Entries["systemmail"];

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Equal(1, Occurrences(entry.Description, Hints.GenerateAccessToken.ToString()));
    }

    [Fact]
    public async Task CheckHealthAsync_CalledTwiceWithinCacheDuration_ConnectsOnce()
    {
        await using var server = await ServerAsync();
        await using var mail = TestMailer.For(
            server,
            o =>
            {
                o.Authentication = SmtpAuthenticationType.Basic;
                o.Username = "mailer";
                o.Password = "right";
            },
            services => services.AddHealthChecks().AddSystemMail());

        await CheckAsync(mail.Services);
        await CheckAsync(mail.Services);

        Assert.Equal(1, (await server.GetStatsAsync(Ct)).Connections);
    }

    private static int Occurrences(string? text, string part) =>
        text is null ? 0 : (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;
}
