using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.EntityFrameworkCore.Tests.Outbox;

/// <summary>The outbox's health check and metrics.</summary>
public abstract partial class OutboxTests
{
    [Fact]
    public async Task HealthCheck_OldestPendingOlderThanTheThreshold_Degraded()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var host = Host(time: time, outbox: o => o.HealthAgeThreshold = TimeSpan.FromMinutes(10));
        var health = host.Services.GetRequiredService<HealthCheckService>();
        await host.Outbox.QueueAccountActivatedAsync("alice@example.test", new Uri("https://portal.example.test/login"), cancellationToken: Ct);

        var fresh = await health.CheckHealthAsync(Ct);
        time.Advance(TimeSpan.FromMinutes(11));
        var stale = await health.CheckHealthAsync(Ct);

        Assert.Equal(HealthStatus.Healthy, fresh.Entries["systemmail-outbox"].Status);
        Assert.Equal(HealthStatus.Degraded, stale.Entries["systemmail-outbox"].Status);
        Assert.Equal(1, stale.Entries["systemmail-outbox"].Data["pending"]);
    }

    [Fact]
    public async Task Metrics_DrainWithOneRejectedRecipient_CountSentAndDeadLetteredAndShowTheDepth()
    {
        var host = Host();
        await Server.SetBehaviourAsync(new SmtpTestServerBehaviour { RejectRecipients = [new SmtpTestRecipientRule("gone@example.test", 550, "5.1.1 No such user")] }, Ct);
        var meters = host.Services.GetRequiredService<IMeterFactory>();
        var measured = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, meters) && instrument.Name.StartsWith("systemmail.outbox.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            lock (measured)
            {
                measured[instrument.Name] = instrument.Name == "systemmail.outbox.depth" ? value : measured.GetValueOrDefault(instrument.Name) + value;
            }
        });
        listener.Start();
        await host.Outbox.QueueActivationAsync("alice@example.test", ActivationLink, TimeSpan.FromHours(2), cancellationToken: Ct);
        await host.Outbox.QueueActivationAsync("gone@example.test", ActivationLink, TimeSpan.FromHours(2), cancellationToken: Ct);

        await host.Dispatcher.RunRoundAsync(Ct);
        listener.RecordObservableInstruments();

        Assert.Equal(1, measured["systemmail.outbox.sent"]);
        Assert.Equal(1, measured["systemmail.outbox.dead_lettered"]);
        Assert.Equal(2, measured["systemmail.outbox.depth"]);
        Assert.False(measured.ContainsKey("systemmail.outbox.retried"));
    }
}
