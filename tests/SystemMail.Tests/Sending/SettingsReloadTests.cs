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
        Assert.Equal($"127.0.0.1:{serverB.Port}", mail.Generations.Current.Endpoint);

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
    public async Task SendTestMailAsync_SettingsReloadedWhileAMailIsSending_OldGenerationsLimiterDisposedWhenThatMailIsDone()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var serverA = await StartServerAsync(ct);
        await using var serverB = await StartServerAsync(ct);
        await serverA.SetBehaviourAsync(new SmtpTestServerBehaviour { DataDelayMs = 1500 }, ct);
        var configuration = BuildConfiguration(serverA.Port);
        configuration["SystemMail:RateLimit:PermitLimit"] = "100";
        configuration["SystemMail:RateLimit:Window"] = "00:01:00";
        await using var mail = TestMailer.FromConfiguration(configuration, o => o.ServerCertificateValidationCallback = TestCertificate.Localhost.Pin());
        var slow = mail.Mailer.SendTestMailAsync("slow@example.com", cancellationToken: ct);
        await serverA.WaitForStatsAsync(s => s.CommandCount("DATA") == 1, TimeSpan.FromSeconds(10), ct);
        var old = mail.Generations.Installed!;

        // Act: the slow mail waits for the server's answer to its DATA while the settings change.
        configuration["SystemMail:Port"] = serverB.Port.ToString(CultureInfo.InvariantCulture);
        configuration.Reload();
        var disposedWhileSending = old.Limiter!.IsDisposed || old.PipelineDisposed.IsCompleted;
        await slow;
        await old.PipelineDisposed.WaitAsync(TimeSpan.FromSeconds(10), ct);
        await mail.Mailer.SendTestMailAsync("next@example.com", cancellationToken: ct);

        // Assert
        Assert.True(old.IsRetired);
        Assert.False(disposedWhileSending);
        Assert.True(old.Limiter.IsDisposed);
        var current = mail.Generations.Installed!;
        Assert.NotSame(old, current);
        Assert.False(current.Limiter!.IsDisposed);
        Assert.Equal("slow@example.com", Assert.Single(await serverA.GetMessagesAsync(ct)).RcptTo.Single());
        Assert.Equal("next@example.com", Assert.Single(await serverB.GetMessagesAsync(ct)).RcptTo.Single());
    }

    [Fact]
    public async Task SendActivationAsync_SenderProductAndPortChangedWhileMailsWaitForASendingPermit_EachMailRenderedAndSentUnderOneGeneration()
    {
        // Arrange: one mail a second, so the second and third mail wait for a permit while the settings change.
        var ct = TestContext.Current.CancellationToken;
        await using var serverA = await StartServerAsync(ct);
        await using var serverB = await StartServerAsync(ct);
        var configuration = BuildConfiguration(serverA.Port);
        configuration["SystemMail:From"] = "Product A <a@systemmail.test>";
        configuration["SystemMail:Product:Name"] = "Product A";
        configuration["SystemMail:RateLimit:PermitLimit"] = "1";
        configuration["SystemMail:RateLimit:Window"] = "00:00:01";
        await using var mail = TestMailer.FromConfiguration(configuration, o => o.ServerCertificateValidationCallback = TestCertificate.Localhost.Pin());
        var link = new Uri("https://portal.acme.test/activate?t=1");
        var sends = Enumerable.Range(0, 3)
            .Select(i => mail.Mailer.SendActivationAsync($"user{i}@example.com", link, TimeSpan.FromHours(1), cancellationToken: ct))
            .ToList();

        // Act
        configuration["SystemMail:From"] = "Product B <b@systemmail.test>";
        configuration["SystemMail:Product:Name"] = "Product B";
        configuration["SystemMail:Port"] = serverB.Port.ToString(CultureInfo.InvariantCulture);
        configuration.Reload();
        var sent = await Task.WhenAll(sends);

        // Assert: whichever server a mail reached, it was rendered with that server's settings.
        var receivedA = await serverA.GetMessagesAsync(ct);
        var receivedB = await serverB.GetMessagesAsync(ct);
        Assert.NotEmpty(receivedA);
        Assert.All(receivedA, r => AssertRenderedFor(r, "a@systemmail.test", "Product A", "Product B"));
        Assert.All(receivedB, r => AssertRenderedFor(r, "b@systemmail.test", "Product B", "Product A"));
        Assert.Equal(
            sent.Select(s => s.MessageId).Order(),
            receivedA.Concat(receivedB).Select(r => r.Message.MessageId).Order());
    }

    [Fact]
    public async Task SendTestMailAsync_ProductNameChangedOnTheSameServer_OldConnectionClosedAndNotReused()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var server = await StartServerAsync(ct);
        var configuration = BuildConfiguration(server.Port);
        await using var mail = TestMailer.FromConfiguration(configuration, o => o.ServerCertificateValidationCallback = TestCertificate.Localhost.Pin());
        await mail.Mailer.SendTestMailAsync("first@example.com", cancellationToken: ct);

        // Act
        configuration["SystemMail:Product:Name"] = "Renamed Portal";
        configuration.Reload();
        await mail.Mailer.SendTestMailAsync("second@example.com", cancellationToken: ct);

        // Assert
        var stats = await server.WaitForStatsAsync(s => s.OpenConnections == 1, TimeSpan.FromSeconds(10), ct);
        Assert.Equal(2, stats.Connections);
        Assert.Equal(2, stats.AuthAttempts.Count);
        Assert.Equal(1, stats.CommandCount("QUIT"));
        var second = (await server.GetMessagesAsync(ct)).Single(r => r.RcptTo.Single() == "second@example.com");
        Assert.NotEqual(second.ConnectionId, (await server.GetMessagesAsync(ct)).Single(r => r.RcptTo.Single() == "first@example.com").ConnectionId);
        Assert.Contains("Renamed Portal", second.Message.TextBody, StringComparison.Ordinal);
    }

    private static void AssertRenderedFor(ReceivedMail received, string sender, string product, string otherProduct)
    {
        Assert.Equal(sender, Assert.IsType<MimeKit.MailboxAddress>(Assert.Single(received.Message.From)).Address);
        Assert.Equal(sender, received.MailFrom);
        Assert.Contains(product, received.Message.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain(otherProduct, received.Message.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain(otherProduct, received.Message.HtmlBody, StringComparison.Ordinal);
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
