using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using SystemMail.AspNetCore.Tests.Infrastructure;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.AspNetCore.Tests.Admin;

/// <summary>
/// Saved settings that cannot be read (damaged bytes, a lost key ring) do not stop the host: the configuration's settings
/// apply, the health check and the page say why, and a save replaces them.
/// </summary>
public sealed class UnreadableSavedSettingsTests : IAsyncLifetime
{
    private const string User = "mailer@acme.test";
    private const string Password = "Pw-second-3c9d";

    private SmtpTestServer _smtp = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        _smtp = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Users = new Dictionary<string, string> { [User] = Password } });

    public async ValueTask DisposeAsync() => await _smtp.DisposeAsync();

    [Fact]
    public async Task StartAsync_DamagedSavedSettings_StartsAndSaysSoUntilSavedAgain()
    {
        var store = new RecordingSettingsStore();
        await store.TrySaveAsync("settings", "{ not the settings \u0001\u0002"u8.ToArray(), expectedVersion: null, Ct);

        await using var host = await StartHostAsync(store, new EphemeralDataProtectionProvider());

        await AssertUnreadableThenRepairedAsync(host, "damaged");
    }

    [Fact]
    public async Task StartAsync_SettingsProtectedWithAnotherKeyRing_StartsAndSaysSoUntilSavedAgain()
    {
        var store = new RecordingSettingsStore();
        await using (var before = await StartHostAsync(store, new EphemeralDataProtectionProvider()))
        {
            using var admin = before.CreateClient();
            await admin.SaveAsync(BasicSettings(from: "Acme Old <old@acme.test>"));
        }

        // The key ring was not persisted: the restarted host has new keys.
        await using var host = await StartHostAsync(store, new EphemeralDataProtectionProvider());

        await AssertUnreadableThenRepairedAsync(host, "Data Protection key");
    }

    private async Task AssertUnreadableThenRepairedAsync(AdminHost host, string reason)
    {
        // Treated as none saved: the configuration's settings are in use.
        var monitor = host.Services.GetRequiredService<IOptionsMonitor<SystemMailOptions>>();
        Assert.Equal("Acme IoT <no-reply@acme.test>", monitor.CurrentValue.From);
        Assert.Equal("127.0.0.1", monitor.CurrentValue.Host);

        var health = host.Services.GetRequiredService<HealthCheckService>();
        var report = (await health.CheckHealthAsync(Ct)).Entries["systemmail"];
        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Contains("saved mail settings cannot be read", report.Description, StringComparison.Ordinal);
        Assert.Contains(reason, report.Description, StringComparison.Ordinal);

        using var admin = host.CreateClient();
        var shown = await admin.GetObjectAsync("settings");
        Assert.Contains(reason, shown["savedSettingsError"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("127.0.0.1", shown["host"]!.GetValue<string>());

        // The page saves over them, with the version it was shown.
        var settings = System.Text.Json.JsonSerializer.SerializeToNode(BasicSettings(from: "Acme New <new@acme.test>"), System.Text.Json.JsonSerializerOptions.Web)!.AsObject();
        settings["version"] = shown["version"]!.GetValue<string>();
        var saved = await admin.SaveAsync(settings);
        Assert.Null(saved["savedSettingsError"]);
        Assert.Null((await admin.GetObjectAsync("settings"))["savedSettingsError"]);

        await host.Services.GetRequiredService<ISystemMailer>().SendTestMailAsync("admin@acme.test", cancellationToken: Ct);
        var mail = Assert.Single(await _smtp.GetMessagesAsync(Ct));
        Assert.Equal(User, mail.AuthenticatedUser);
        Assert.Equal("new@acme.test", mail.MailFrom);
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(Ct)).Entries["systemmail"].Status);
    }

    private Task<AdminHost> StartHostAsync(RecordingSettingsStore store, IDataProtectionProvider keys) =>
        AdminHost.StartAsync(
            o => o.ServerCertificateValidationCallback = _smtp.TestCertificate.Pin(),
            mail =>
            {
                mail.AddHealthCheck();
                mail.Services.Replace(ServiceDescriptor.Singleton<IOAuthTokenStore>(store));
                mail.Services.AddSingleton(keys);
            },
            cancellationToken: Ct);

    private object BasicSettings(string from) => new
    {
        from,
        provider = "custom",
        host = _smtp.Host,
        port = _smtp.Port,
        security = "StartTls",
        timeoutSeconds = 10,
        authentication = "Basic",
        username = User,
        password = Password,
    };
}
