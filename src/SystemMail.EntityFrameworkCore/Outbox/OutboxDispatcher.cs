using System.Globalization;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;

namespace SystemMail.EntityFrameworkCore;

/// <summary>
/// Drains the outbox: claims due mails with a lease, takes permits from the global sending limit, sends each through
/// the mailer (pool, classification, hints) and writes its outcome: sent, tried again later after a transient
/// failure (the next attempt's time is in the row, so it survives a restart), dead-lettered after a permanent one,
/// or expired. A mail this instance claimed but could not finish (the process died) is taken over by any instance
/// once its lease ends.
/// </summary>
/// <typeparam name="TContext">The host's context.</typeparam>
internal sealed class OutboxDispatcher<TContext> : BackgroundService
    where TContext : DbContext, ISystemMailOutboxDbContext
{
    private static readonly TimeSpan StatsInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CleanUpInterval = TimeSpan.FromMinutes(1);

    private readonly OutboxStore<TContext> _store;
    private readonly OutboxRateGate _gate;
    private readonly OutboxComposer _composer;
    private readonly SystemMailer _mailer;
    private readonly SmtpSettingsSource _generations;
    private readonly OutboxMetrics _metrics;
    private readonly IOptionsMonitor<SystemMailOutboxOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _owner;
    private DateTimeOffset _nextStats;
    private DateTimeOffset _nextCleanUp;

    public OutboxDispatcher(
        OutboxStore<TContext> store,
        OutboxRateGate gate,
        OutboxComposer composer,
        SystemMailer mailer,
        SmtpSettingsSource generations,
        OutboxMetrics metrics,
        IOptionsMonitor<SystemMailOutboxOptions> options,
        TimeProvider time,
        ILogger<OutboxDispatcher<TContext>>? logger = null)
    {
        _store = store;
        _gate = gate;
        _composer = composer;
        _mailer = mailer;
        _generations = generations;
        _metrics = metrics;
        _options = options;
        _time = time;
        _logger = logger ?? NullLogger<OutboxDispatcher<TContext>>.Instance;
        _owner = options.CurrentValue.InstanceName
            ?? string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}:{Environment.ProcessId}:{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.CurrentValue.Dispatch)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                wait = await RunRoundAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or System.Data.Common.DbException or TimeoutException)
            {
                // The database is away: the mails stay where they are, and the next round tries again.
                OutboxLog.RoundFailed(_logger, ex);
                wait = _options.CurrentValue.PollInterval;
            }

            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, _time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>One round: expiry, housekeeping, a claim and its sends.</summary>
    /// <returns>How long to wait before the next round.</returns>
    internal async Task<TimeSpan> RunRoundAsync(CancellationToken cancellationToken)
    {
        var options = _options.CurrentValue;
        var expired = await _store.ExpireDueAsync(cancellationToken).ConfigureAwait(false);
        if (expired > 0)
        {
            _metrics.Expired.Add(expired);
            OutboxLog.Expired(_logger, expired);
        }

        await HousekeepAsync(options, cancellationToken).ConfigureAwait(false);
        var settings = _generations.CurrentGeneration.Settings;
        var limit = SendPolicy.EffectiveLimit(settings, settings.Options.RateLimit ?? new SmtpRateLimitOptions());
        var batch = options.BatchSize;
        if (limit is not null)
        {
            // A burst waits in the database: only as many mails are claimed as the limit has room for now.
            var (free, freeAt) = await _gate.PeekAsync(limit, cancellationToken).ConfigureAwait(false);
            if (free == 0)
            {
                return Until(freeAt);
            }

            batch = Math.Min(batch, free);
        }

        var claimed = await _store.ClaimAsync(batch, _owner, options.LeaseDuration, cancellationToken).ConfigureAwait(false);
        if (claimed.Count == 0)
        {
            return options.PollInterval;
        }

        // More sends at once than the pool has connections would only wait for one, holding their permits.
        var parallel = Math.Max(1, Math.Min(options.MaxConcurrentSends, settings.Options.PoolSize));
        var sent = new System.Collections.Concurrent.ConcurrentBag<SystemMailOutboxMessage>();
        try
        {
            await Parallel.ForEachAsync(
                claimed,
                new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellationToken },
                (row, token) => new ValueTask(SendOneAsync(row, limit, options, sent, token))).ConfigureAwait(false);
        }
        finally
        {
            // One write for the claim's sent mails; a mail the server took is recorded even when the host is stopping.
            if (!sent.IsEmpty)
            {
                var recorded = await _store.MarkSentAsync(sent, keepBody: options.SentBodyRetention > TimeSpan.Zero, CancellationToken.None).ConfigureAwait(false);
                if (recorded < sent.Count)
                {
                    OutboxLog.LeaseLost(_logger, sent.First().Id, string.Create(CultureInfo.InvariantCulture, $"{sent.Count - recorded} of {sent.Count} sent"));
                }
            }
        }

        return TimeSpan.Zero;
    }

    private TimeSpan Until(DateTimeOffset? freeAt)
    {
        var wait = (freeAt ?? _time.GetUtcNow()) - _time.GetUtcNow();
        return wait < TimeSpan.FromMilliseconds(5) ? TimeSpan.FromMilliseconds(5) : wait;
    }

    private async Task SendOneAsync(SystemMailOutboxMessage row, SmtpSendingLimit? limit, SystemMailOutboxOptions options, System.Collections.Concurrent.ConcurrentBag<SystemMailOutboxMessage> sent, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        if (row.NotAfter < now)
        {
            if (await _store.MarkExpiredAsync(row, CancellationToken.None).ConfigureAwait(false))
            {
                _metrics.Expired.Add(1);
                OutboxLog.Expired(_logger, 1);
            }

            return;
        }

        MimeMessage message;
        try
        {
            message = _composer.ReadBody(row.Body ?? throw new CryptographicException("The mail has no body."));
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or ParseException)
        {
            OutboxLog.BodyUnreadable(_logger, ex, row.Id);
            await _store.MarkDeadLetteredAsync(row, failure: null, CancellationToken.None).ConfigureAwait(false);
            _metrics.DeadLettered.Add(1, new KeyValuePair<string, object?>("error.type", SystemMailErrorKind.Unknown.ToString()));
            return;
        }

        using (message)
        {
            // The permit is taken just before the send and moved to the send's end after it (see OutboxRateGate).
            long? permit = null;
            if (limit is not null)
            {
                permit = await _gate.AcquireAsync(limit, cancellationToken).ConfigureAwait(false);
                if (permit is null)
                {
                    await _store.ReleaseAsync([row], CancellationToken.None).ConfigureAwait(false);
                    return;
                }
            }

            try
            {
                await SendAsync(row, message, options, now, sent, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (permit is { } grantedAt)
                {
                    await _gate.RestampAsync(grantedAt, CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
    }

    private async Task SendAsync(SystemMailOutboxMessage row, MimeMessage message, SystemMailOutboxOptions options, DateTime now, System.Collections.Concurrent.ConcurrentBag<SystemMailOutboxMessage> sent, CancellationToken cancellationToken)
    {
        // An outcome is written even when the host is stopping: a mail the server took must not be sent again.
        try
        {
            var accepted = await _mailer.SendQueuedAsync(message, row.Kind, cancellationToken).ConfigureAwait(false);
            sent.Add(row);
            _metrics.Sent.Add(1);
            OutboxLog.Sent(_logger, row.Id, accepted.MessageId, row.Attempts + 1);
        }
        catch (SystemMailException ex) when (ex.IsTransient || ex.Kind == SystemMailErrorKind.Throttled)
        {
            var delay = Backoff(row.Attempts + 1, options);
            if (ex.RetryAfter is { } after && after > delay)
            {
                delay = after;
            }

            var next = now + delay;
            await _store.MarkRetryAsync(row, next, ex, CancellationToken.None).ConfigureAwait(false);
            _metrics.Retried.Add(1, new KeyValuePair<string, object?>("error.type", ex.Kind.ToString()));
            OutboxLog.Retrying(_logger, row.Id, ex.Kind, Status(ex), next);
        }
        catch (SystemMailException ex)
        {
            await _store.MarkDeadLetteredAsync(row, ex, CancellationToken.None).ConfigureAwait(false);
            _metrics.DeadLettered.Add(1, new KeyValuePair<string, object?>("error.type", ex.Kind.ToString()));
            OutboxLog.DeadLettered(_logger, row.Id, ex.Kind, Status(ex), ex.HintId);
        }
    }

    private async Task HousekeepAsync(SystemMailOutboxOptions options, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (now >= _nextCleanUp)
        {
            _nextCleanUp = now + CleanUpInterval;
            await _store.CleanUpAsync(options.SentBodyRetention, options.RetentionPeriod, cancellationToken).ConfigureAwait(false);
        }

        if (now >= _nextStats)
        {
            _nextStats = now + StatsInterval;
            var (count, oldest) = await _store.PendingAsync(cancellationToken).ConfigureAwait(false);
            _metrics.Observe(count, oldest);
        }
    }

    private static TimeSpan Backoff(int attempt, SystemMailOutboxOptions options)
    {
        var exponential = options.RetryDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        var capped = Math.Min(exponential, options.MaxRetryDelay.TotalMilliseconds);
        // ±20% so the mails of one outage do not all come back at the same instant.
#pragma warning disable CA5394 // Jitter, not security.
        var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
#pragma warning restore CA5394
        return TimeSpan.FromMilliseconds(capped * jitter);
    }

    private static string Status(SystemMailException ex) =>
        ex.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? "none";
}
