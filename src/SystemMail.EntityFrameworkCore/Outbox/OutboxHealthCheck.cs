using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace SystemMail.EntityFrameworkCore;

/// <summary>
/// Healthy while the oldest pending mail is younger than <see cref="SystemMailOutboxOptions.HealthAgeThreshold"/>;
/// Degraded when mails wait longer (the server is away, the limit is too low for the load, no dispatcher runs);
/// Unhealthy when the outbox cannot be read.
/// </summary>
/// <typeparam name="TContext">The host's context.</typeparam>
internal sealed class OutboxHealthCheck<TContext> : IHealthCheck
    where TContext : DbContext, ISystemMailOutboxDbContext
{
    private readonly OutboxStore<TContext> _store;
    private readonly IOptionsMonitor<SystemMailOutboxOptions> _options;
    private readonly TimeProvider _time;

    public OutboxHealthCheck(OutboxStore<TContext> store, IOptionsMonitor<SystemMailOutboxOptions> options, TimeProvider time)
    {
        _store = store;
        _options = options;
        _time = time;
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        (int Count, DateTime? Oldest) pending;
        try
        {
            pending = await _store.PendingAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.Data.Common.DbException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The outbox could not be read.", ex);
        }

        var age = pending.Oldest is { } oldest ? _time.GetUtcNow().UtcDateTime - DateTime.SpecifyKind(oldest, DateTimeKind.Utc) : TimeSpan.Zero;
        var data = new Dictionary<string, object>
        {
            ["pending"] = pending.Count,
            ["oldestAgeSeconds"] = Math.Round(Math.Max(0, age.TotalSeconds), 1),
        };
        var threshold = _options.CurrentValue.HealthAgeThreshold;
        return age > threshold
            ? HealthCheckResult.Degraded(string.Create(CultureInfo.InvariantCulture, $"The oldest of {pending.Count} pending mails has waited {age:g}, longer than {threshold:g}."), data: data)
            : HealthCheckResult.Healthy(string.Create(CultureInfo.InvariantCulture, $"{pending.Count} pending mails."), data);
    }
}
