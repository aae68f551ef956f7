using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace SystemMail;

/// <summary>
/// How one send runs under one settings snapshot: a slot under the provider's sending limit, then the send, retried
/// with exponential backoff and jitter (Polly) while the failure is transient.
/// </summary>
internal sealed class SendPolicy : IDisposable
{
    private readonly ResiliencePipeline _pipeline;
    private readonly RateLimiter? _limiter;
    private readonly SmtpSendingLimit? _limit;
    private readonly SmtpRateLimitOptions _rateLimit;
    private readonly SystemMailTelemetry _telemetry;

    // One reference for being the mailer's current policy, one for each send running under it; the last one out
    // disposes the rate limiter (and its replenishment timer).
    private int _references = 1;
    private int _retired;

    public SendPolicy(SmtpSettings settings, TimeProvider time, SystemMailTelemetry telemetry, ILogger logger)
    {
        _telemetry = telemetry;
        var retry = settings.Options.Retry ?? new SmtpRetryOptions();
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (retry.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<SystemMailException>(static ex => ex.IsTransient),
                MaxRetryAttempts = retry.MaxRetryAttempts,
                Delay = retry.Delay,
                MaxDelay = retry.MaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = retry.UseJitter,
                OnRetry = args =>
                {
                    var failure = args.Outcome.Exception as SystemMailException;
                    telemetry.Retries.Add(1, new KeyValuePair<string, object?>("error.type", failure?.Kind.ToString()));
                    Log.Retrying(logger, args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds, failure?.Kind ?? SystemMailErrorKind.Unknown, failure?.StatusCode);
                    return default;
                },
            });
        }

        _pipeline = builder.Build();

        _rateLimit = settings.Options.RateLimit ?? new SmtpRateLimitOptions();
        _limit = EffectiveLimit(settings, _rateLimit);
        if (_limit is not null)
        {
            _limiter = new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
            {
                PermitLimit = _limit.PermitLimit,
                Window = _limit.Window,
                SegmentsPerWindow = Segments(_limit.Window),
                QueueLimit = _rateLimit.QueueLimit,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            });
        }
    }

    public SmtpSendingLimit? Limit => _limit;

    public static SmtpSendingLimit? EffectiveLimit(SmtpSettings settings, SmtpRateLimitOptions rateLimit)
    {
        if (!rateLimit.Enabled)
        {
            return null;
        }

        var template = settings.Template.SendingLimit;
        var permits = rateLimit.PermitLimit ?? template?.PermitLimit;
        var window = rateLimit.Window ?? template?.Window;
        return permits is { } p && window is { } w ? new SmtpSendingLimit(p, w) : null;
    }

    public async Task<string> ExecuteAsync(Func<CancellationToken, Task<string>> send, CancellationToken cancellationToken) =>
        await _pipeline.ExecuteAsync(
            static async (state, token) =>
            {
                using var lease = await state.Policy.AcquireAsync(token).ConfigureAwait(false);
                return await state.Send(token).ConfigureAwait(false);
            },
            (Policy: this, Send: send),
            cancellationToken).ConfigureAwait(false);

    /// <summary>Gets whether every reference is released and the rate limiter disposed.</summary>
    public bool IsDisposed => Volatile.Read(ref _references) == 0;

    /// <summary>Takes a reference for one send; <see langword="false"/> when the policy is already disposed.</summary>
    public bool TryAddReference()
    {
        var references = Volatile.Read(ref _references);
        while (references > 0)
        {
            var seen = Interlocked.CompareExchange(ref _references, references + 1, references);
            if (seen == references)
            {
                return true;
            }

            references = seen;
        }

        return false;
    }

    /// <summary>Gives a reference back: a send's when it is done, or the mailer's when the policy is replaced.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            _limiter?.Dispose();
        }
    }

    /// <summary>Releases the mailer's reference (once); sends still running keep the policy until they are done.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _retired, 1) == 0)
        {
            Release();
        }
    }

    /// <summary>How finely the sliding window moves: a permit comes back one segment after its window has passed.</summary>
    private static int Segments(TimeSpan window) => window >= TimeSpan.FromHours(1) ? 24 : 6;

    /// <summary>A slot under the sending limit: at once when one is free, else after waiting in line for at most QueueTimeout.</summary>
    private async ValueTask<IDisposable?> AcquireAsync(CancellationToken cancellationToken)
    {
        if (_limiter is null)
        {
            return null;
        }

        var lease = _limiter.AttemptAcquire(1);
        if (lease.IsAcquired)
        {
            return lease;
        }

        lease.Dispose();
        _telemetry.ThrottleWaits.Add(1);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(_rateLimit.QueueTimeout);
        try
        {
            lease = await _limiter.AcquireAsync(1, wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Throttled($"No sending slot freed up within {_rateLimit.QueueTimeout}.", _limit!.Window / Segments(_limit.Window));
        }

        if (!lease.IsAcquired)
        {
            var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : _limit!.Window;
            lease.Dispose();
            throw Throttled($"{_rateLimit.QueueLimit} sends are already waiting for a sending slot.", retryAfter);
        }

        return lease;
    }

    private SystemMailException Throttled(string why, TimeSpan retryAfter) =>
        new(
            SystemMailErrorKind.Throttled,
            $"The provider's sending limit ({_limit}) is reached: {why}",
            Hints.Throttled(retryAfter))
        {
            RetryAfter = retryAfter,
        };
}
