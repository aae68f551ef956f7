using System.Threading.RateLimiting;
using Polly.RateLimiting;

namespace SystemMail;

/// <summary>
/// The provider's sending limit for one generation, as the permit source of Polly's rate limiter strategy: a sliding
/// window of permits with a queue. A send takes a permit at once when one is free, else waits in line for at most
/// <see cref="SmtpRateLimitOptions.QueueTimeout"/>; a full queue or a wait that times out is a
/// <see cref="SystemMailErrorKind.Throttled"/> error that says when to send again.
/// </summary>
/// <remarks>
/// System.Threading.RateLimiting takes no <see cref="TimeProvider"/>: the window slides on the limiter's own timer,
/// which <see cref="Dispose"/> stops. The generation disposes it after its last send (see <see cref="MailGeneration"/>).
/// </remarks>
internal sealed class SendingLimiter : IDisposable
{
    // Permits for the sends Polly still runs after it stopped waiting for them and disposed this limiter.
    private static readonly RateLimiter Unlimited = RateLimitPartition.GetNoLimiter(0).Factory(0);

    private readonly SlidingWindowRateLimiter _limiter;
    private readonly SmtpSendingLimit _limit;
    private readonly SmtpRateLimitOptions _options;
    private readonly TimeProvider _time;
    private readonly SystemMailTelemetry _telemetry;
    private int _disposed;

    public SendingLimiter(SmtpSendingLimit limit, SmtpRateLimitOptions options, TimeProvider time, SystemMailTelemetry telemetry)
    {
        _limit = limit;
        _options = options;
        _time = time;
        _telemetry = telemetry;
        _limiter = new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
        {
            PermitLimit = limit.PermitLimit,
            Window = limit.Window,
            SegmentsPerWindow = Segments(limit.Window),
            QueueLimit = options.QueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    /// <summary>Gets whether the limiter and its timer are disposed.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>A permit for one attempt (<see cref="RateLimiterStrategyOptions.RateLimiter"/>).</summary>
    public async ValueTask<RateLimitLease> AcquireAsync(RateLimiterArguments args)
    {
        var cancellationToken = args.Context.CancellationToken;
        RateLimitLease lease;
        try
        {
            lease = _limiter.AttemptAcquire();
            if (lease.IsAcquired)
            {
                return lease;
            }

            lease.Dispose();
            _telemetry.ThrottleWaits.Add(1);
            using var wait = new Deadline(_time, _options.QueueTimeout, cancellationToken);
            try
            {
                lease = await _limiter.AcquireAsync(1, wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw Throttled($"No sending slot freed up within {_options.QueueTimeout}.", _limit.Window / Segments(_limit.Window));
            }
        }
        catch (ObjectDisposedException)
        {
            return Unlimited.AttemptAcquire();
        }

        if (lease.IsAcquired)
        {
            return lease;
        }

        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : _limit.Window;
        lease.Dispose();
        if (IsDisposed)
        {
            // Disposal fails the waiting requests; those sends go on as Polly let them.
            return Unlimited.AttemptAcquire();
        }

        throw Throttled($"{_options.QueueLimit} sends are already waiting for a sending slot.", retryAfter);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _limiter.Dispose();
        }
    }

    /// <summary>How finely the sliding window moves: a permit comes back one segment after its window has passed.</summary>
    private static int Segments(TimeSpan window) => window >= TimeSpan.FromHours(1) ? 24 : 6;

    private SystemMailException Throttled(string why, TimeSpan retryAfter) =>
        new(
            SystemMailErrorKind.Throttled,
            $"The provider's sending limit ({_limit}) is reached: {why}",
            Hints.Throttled(retryAfter))
        {
            RetryAfter = retryAfter,
        };
}
