using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.Sending;

public sealed class SettingsReloadTests
{
    private const string User = "mailer@systemmail.test";
    private const string Password = "Pw-settings-reload";

    [Fact]
    public async Task SendTestMailAsync_PortChangedAndConfigurationReloaded_NextMailGoesToNewServerAndOldConnectionIsClosed()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var serverA = await StartServerAsync(ct);
        await using var serverB = await StartServerAsync(ct);
        var configuration = BuildConfiguration(serverA.Port);
        await using var mail = TestMailer.FromConfiguration(configuration, o => o.ServerCertificateValidationCallback = TestCertificate.Localhost.Pin());
        var first = await mail.Mailer.SendTestMailAsync("first@example.com", cancellationToken: ct);

        // Act
        configuration["SystemMail:Port"] = serverB.Port.ToString(CultureInfo.InvariantCulture);
        configuration.Reload();
        var second = await mail.Mailer.SendTestMailAsync("second@example.com", cancellationToken: ct);

        // Assert
        Assert.Equal(first.MessageId, Assert.Single(await serverA.GetMessagesAsync(ct)).Message.MessageId);
        Assert.Equal(second.MessageId, Assert.Single(await serverB.GetMessagesAsync(ct)).Message.MessageId);
        Assert.Equal($"127.0.0.1:{serverB.Port}", mail.Pool.CurrentSettings.Endpoint);

        var statsA = await serverA.WaitForStatsAsync(s => s.OpenConnections == 0, TimeSpan.FromSeconds(10), ct);
        Assert.Equal(1, statsA.Connections);
        Assert.Equal(1, statsA.CommandCount("QUIT"));
        Assert.Equal(1, (await serverB.GetStatsAsync(ct)).OpenConnections);
        Assert.Equal(1, mail.Pool.OpenConnections);
        Assert.Contains(mail.Logs.Collector.GetSnapshot(), r => r.Id.Name == "SettingsChanged");
    }

    [Fact]
    public async Task SendTestMailAsync_ReloadedSettingsInvalid_ThrowsConfigurationUntilFixed()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var server = await StartServerAsync(ct);
        var configuration = BuildConfiguration(server.Port);
        await using var mail = TestMailer.FromConfiguration(configuration, o => o.ServerCertificateValidationCallback = TestCertificate.Localhost.Pin());
        await mail.Mailer.SendTestMailAsync("first@example.com", cancellationToken: ct);

        // Act
        configuration["SystemMail:Port"] = "0";
        configuration["SystemMail:Username"] = string.Empty;

        // Microsoft.Extensions.Options validates the new value inside the reload callback, so Reload itself reports
        // the failure too (dotnet/runtime#44381); a host must not be stopped by it.
        var reloadFailure = Record.Exception(configuration.Reload);
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => mail.Mailer.SendTestMailAsync("second@example.com", cancellationToken: ct));
        configuration["SystemMail:Port"] = server.Port.ToString(CultureInfo.InvariantCulture);
        configuration["SystemMail:Username"] = User;
        configuration.Reload();
        await mail.Mailer.SendTestMailAsync("third@example.com", cancellationToken: ct);

        // Assert
        Assert.IsType<OptionsValidationException>(Assert.IsType<AggregateException>(reloadFailure).InnerException);
        Assert.Equal(SystemMailErrorKind.Configuration, ex.Kind);
        Assert.Contains("Port", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Username", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, ex.ToString(), StringComparison.Ordinal);
        var received = await server.GetMessagesAsync(ct);
        Assert.Equal(["first@example.com", "third@example.com"], received.Select(r => r.RcptTo.Single()));
    }

    [Fact]
    public async Task SendTestMailAsync_SettingsReloadedWhileAMailIsSending_OldPolicyReleasedWhenThatMailIsDone()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var serverA = await StartServerAsync(ct);
        await using var serverB = await StartServerAsync(ct);
        await serverA.SetBehaviourAsync(new SmtpTestServerBehaviour { DataDelayMs = 1500 }, ct);
        var configuration = BuildConfiguration(serverA.Port);
        await using var mail = TestMailer.FromConfiguration(configuration, o => o.ServerCertificateValidationCallback = TestCertificate.Localhost.Pin());
        var mailer = Assert.IsType<SystemMailer>(mail.Mailer);
        var slow = mail.Mailer.SendTestMailAsync("slow@example.com", cancellationToken: ct);
        await serverA.WaitForStatsAsync(s => s.CommandCount("DATA") == 1, TimeSpan.FromSeconds(10), ct);
        var oldPolicy = mailer.CurrentPolicy;

        // Act
        configuration["SystemMail:Port"] = serverB.Port.ToString(CultureInfo.InvariantCulture);
        configuration.Reload();
        await mail.Mailer.SendTestMailAsync("next@example.com", cancellationToken: ct);
        var disposedWhileSending = oldPolicy!.IsDisposed;
        await slow;

        // Assert
        Assert.NotSame(oldPolicy, mailer.CurrentPolicy);
        Assert.False(disposedWhileSending);
        Assert.True(oldPolicy.IsDisposed);
        Assert.False(mailer.CurrentPolicy!.IsDisposed);
        Assert.Single(await serverA.GetMessagesAsync(ct));
        Assert.Single(await serverB.GetMessagesAsync(ct));
    }

    [Fact]
    public async Task SendTestMailAsync_SettingsReloadedWhileTheOnlyMailIsSending_ItsConnectionIsClosedNotPooled()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var serverA = await StartServerAsync(ct);
        await using var serverB = await StartServerAsync(ct);
        await serverA.SetBehaviourAsync(new SmtpTestServerBehaviour { DataDelayMs = 1500 }, ct);
        var configuration = BuildConfiguration(serverA.Port);
        await using var mail = TestMailer.FromConfiguration(configuration, o => o.ServerCertificateValidationCallback = TestCertificate.Localhost.Pin());
        var slow = mail.Mailer.SendTestMailAsync("slow@example.com", cancellationToken: ct);
        await serverA.WaitForStatsAsync(s => s.CommandCount("DATA") == 1, TimeSpan.FromSeconds(10), ct);

        // Act: no mail follows the reload, so nothing but the returning send itself can notice the change.
        configuration["SystemMail:Port"] = serverB.Port.ToString(CultureInfo.InvariantCulture);
        configuration.Reload();
        await slow;

        // Assert
        Assert.Single(await serverA.GetMessagesAsync(ct));
        Assert.Equal(0, mail.Pool.IdleConnections);
        var statsA = await serverA.WaitForStatsAsync(s => s.OpenConnections == 0, TimeSpan.FromSeconds(10), ct);
        Assert.Equal(1, statsA.CommandCount("QUIT"));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (mail.Pool.OpenConnections != 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, ct);
        }

        Assert.Equal(0, mail.Pool.OpenConnections);
        Assert.Equal(0, (await serverB.GetStatsAsync(ct)).Connections);
    }

    private static Task<SmtpTestServer> StartServerAsync(CancellationToken ct) =>
        SmtpTestServer.StartAsync(new SmtpTestServerOptions { Users = new Dictionary<string, string> { [User] = Password } }, ct);

    private static IConfigurationRoot BuildConfiguration(int port) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["SystemMail:From"] = $"SystemMail Tests <{TestMailer.Sender}>",
                ["SystemMail:Provider"] = "custom",
                ["SystemMail:Host"] = "127.0.0.1",
                ["SystemMail:Port"] = port.ToString(CultureInfo.InvariantCulture),
                ["SystemMail:Security"] = "StartTls",
                ["SystemMail:Authentication"] = "Basic",
                ["SystemMail:Username"] = User,
                ["SystemMail:Password"] = Password,
                ["SystemMail:CheckCertificateRevocation"] = "false",
                ["SystemMail:Timeout"] = "00:00:10",
                ["SystemMail:LocalDomain"] = "client.systemmail.test",
            })
            .Build();
}
