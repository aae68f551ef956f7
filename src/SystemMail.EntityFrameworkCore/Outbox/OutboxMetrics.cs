using System.Diagnostics.Metrics;

namespace SystemMail.EntityFrameworkCore;

/// <summary>
/// The outbox's instruments on SystemMail's meter: counters of outcomes, and the queue depth and the age of the
/// oldest pending mail as the dispatcher last read them.
/// </summary>
internal sealed class OutboxMetrics
{
    private readonly TimeProvider _time;
    private long _depth;
    private long _oldestTicks;

    public OutboxMetrics(SystemMailTelemetry telemetry, TimeProvider time)
    {
        _time = time;
        var meter = telemetry.Meter;
        Sent = meter.CreateCounter<long>("systemmail.outbox.sent", "{mail}", "Queued mails the SMTP server accepted.");
        Retried = meter.CreateCounter<long>("systemmail.outbox.retried", "{mail}", "Queued mails put back for a later attempt after a transient failure, by error.type.");
        DeadLettered = meter.CreateCounter<long>("systemmail.outbox.dead_lettered", "{mail}", "Queued mails refused for good, by error.type.");
        Expired = meter.CreateCounter<long>("systemmail.outbox.expired", "{mail}", "Queued mails not sent because their not-after time passed.");
        meter.CreateObservableGauge("systemmail.outbox.depth", () => Volatile.Read(ref _depth), "{mail}", "Pending mails in the outbox, as last read.");
        meter.CreateObservableGauge("systemmail.outbox.oldest_age", OldestAge, "s", "Age of the oldest pending mail, as last read; 0 when none is pending.");
    }

    public Counter<long> Sent { get; }

    public Counter<long> Retried { get; }

    public Counter<long> DeadLettered { get; }

    public Counter<long> Expired { get; }

    public void Observe(int depth, DateTime? oldest)
    {
        Volatile.Write(ref _depth, depth);
        Volatile.Write(ref _oldestTicks, oldest?.Ticks ?? 0);
    }

    private double OldestAge()
    {
        var ticks = Volatile.Read(ref _oldestTicks);
        return ticks == 0 ? 0 : Math.Max(0, (_time.GetUtcNow().UtcDateTime - new DateTime(ticks, DateTimeKind.Utc)).TotalSeconds);
    }
}
