using Microsoft.Extensions.Logging;
using Polly;
using Polly.RateLimiting;
using Polly.Registry;
using Polly.Retry;

namespace SystemMail;

/// <summary>
/// How a send runs under one settings generation: retried with exponential backoff and jitter while the failure is
/// transient, each attempt first taking a permit under the provider's sending limit (Polly's rate limiter strategy).
/// </summary>
/// <remarks>
/// No Polly timeout strategy: the per-attempt budget, <see cref="SmtpSettings.Timeout"/>, covers the SMTP transaction on
/// a connection the pool holds. Around the whole attempt it would also count the wait for a pool slot and the connect,
/// which has a budget of its own, and it would end in a <see cref="Polly.Timeout.TimeoutRejectedException"/> instead of
/// the stage <see cref="SmtpFailureClassifier"/> names. The pool sets that budget on the <see cref="TimeProvider"/>.
/// </remarks>
internal static class SendPolicy
{
    /// <summary>The property of a send's context that turns the in-process retries off for it.</summary>
    private static readonly ResiliencePropertyKey<bool> NoRetry = new("SystemMail.NoRetry");

    /// <summary>Runs one send through its generation's pipeline, with or without the pipeline's retries.</summary>
    public static async Task<string> ExecuteAsync(ResiliencePipeline pipeline, SystemMailer.Send send, bool retry, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            context.Properties.Set(NoRetry, !retry);
            return await pipeline.ExecuteAsync(
                static (context, send) => new ValueTask<string>(send.RunAsync(context.CancellationToken)),
                context,
                send).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>The provider's sending limit in effect: the options' own, else the template's; none when off.</summary>
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

    /// <summary>Adds the retry and the sending limit of <paramref name="settings"/>; the limiter is disposed with the pipeline.</summary>
    /// <returns>The sending limiter, or <see langword="null"/> when no limit applies.</returns>
    public static SendingLimiter? Configure(
        ResiliencePipelineBuilder builder,
        ConfigureBuilderContext<string> context,
        SmtpSettings settings,
        TimeProvider time,
        SystemMailTelemetry telemetry,
        ILogger logger)
    {
        builder.TimeProvider = time;
        var retry = settings.Options.Retry ?? new SmtpRetryOptions();
        if (retry.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                // A provider's Retry-After is honoured when it fits MaxDelay; a longer one fails the send with it.
                // A queued mail is tried once per claim: the outbox keeps its retries, in the database.
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is SystemMailException { IsTransient: true } ex
                    && !(ex.RetryAfter > retry.MaxDelay)
                    && !args.Context.Properties.GetValue(NoRetry, false)),
                DelayGenerator = static args => new ValueTask<TimeSpan?>(args.Outcome.Exception is SystemMailException { RetryAfter: { } after } ? after : null),
                MaxRetryAttempts = retry.MaxRetryAttempts,
                Delay = retry.Delay,
                MaxDelay = retry.MaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = retry.UseJitter,
                OnRetry = args =>
                {
                    var failure = args.Outcome.Exception as SystemMailException;
                    telemetry.Retries.Add(1, new KeyValuePair<string, object?>("error.type", failure?.Kind.ToString()));
                    Log.Retrying(logger, args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds, failure?.Kind ?? SystemMailErrorKind.Unknown, Log.Status(failure?.StatusCode));
                    return default;
                },
            });
        }

        var rateLimit = settings.Options.RateLimit ?? new SmtpRateLimitOptions();
        if (EffectiveLimit(settings, rateLimit) is not { } limit)
        {
            return null;
        }

        var limiter = new SendingLimiter(limit, rateLimit, time, telemetry);
        context.OnPipelineDisposed(limiter.Dispose);
        builder.AddRateLimiter(new RateLimiterStrategyOptions { RateLimiter = limiter.AcquireAsync });
        return limiter;
    }
}
