using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.Sending;

/// <summary>A caller waiting for a pooled connection waits at most <see cref="SystemMailOptions.Timeout"/>, then gets a typed error.</summary>
public sealed class PoolSlotWaitTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task SendTestMailAsync_EveryPooledConnectionBusyLongerThanTheTimeout_FailsWithPoolBusyAndTheBusyMailStillGoesOut()
    {
        // Arrange: one pooled connection, held by a mail whose server answers only when the test says so.
        var ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = GatedSmtpServer.Start();
        await using var mail = TestMailer.Create(
            o =>
            {
                o.Host = "127.0.0.1";
                o.Port = server.Port;
                o.Security = SmtpSecurity.None;
                o.Timeout = Timeout;
                o.GreetingTimeout = Timeout;
                o.PoolSize = 1;
            },
            services => services.AddSingleton<TimeProvider>(clock));
        var first = mail.Mailer.SendTestMailAsync("first@example.com", cancellationToken: ct);
        await WaitUntilAsync(() => server.AcceptedConnections == 1, ct);

        // Act: the second mail waits for the slot from now; the first one's connection and its DATA each keep within the timeout.
        var second = mail.Mailer.SendTestMailAsync("second@example.com", cancellationToken: ct);
        clock.Advance(Timeout * 0.6);
        server.OpenGreeting();
        await server.DataReceived.WaitAsync(ct);
        clock.Advance(Timeout * 0.5);
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => second);
        server.OpenDataReply();
        var sent = await first;

        // Assert
        Assert.Equal(SystemMailErrorKind.Timeout, ex.Kind);
        Assert.Equal("PoolBusy", ex.HintId);
        Assert.Contains("PoolSize", ex.GetHint(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Contains("queued", sent.ServerResponse, StringComparison.Ordinal);
        Assert.Equal(1, server.AcceptedConnections);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, CancellationToken ct)
    {
        for (var waited = 0; !condition() && waited < 10_000; waited += 10)
        {
            await Task.Delay(10, ct);
        }

        Assert.True(condition());
    }
}
