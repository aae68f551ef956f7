namespace SystemMail;

/// <summary>
/// The pause a provider asked for with <c>Retry-After</c> (Microsoft Graph's 429 and 503), kept per settings generation
/// so that every send waits it out, not only the one that was refused. A pause longer than
/// <see cref="SmtpRetryOptions.MaxDelay"/> is not waited for: the send fails at once as
/// <see cref="SystemMailErrorKind.Throttled"/>, with <see cref="SystemMailException.RetryAfter"/> saying how long is left.
/// </summary>
internal sealed class ProviderBackoff
{
    private long _untilUtcTicks;

    /// <summary>Gets when sending may resume, or <see langword="null"/> when the provider asked for no pause.</summary>
    public DateTimeOffset? PausedUntil => Volatile.Read(ref _untilUtcTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>Pauses sending until <paramref name="until"/>, unless a longer pause is already asked for.</summary>
    public void Until(DateTimeOffset until)
    {
        var ticks = until.UtcTicks;
        var current = Volatile.Read(ref _untilUtcTicks);
        while (ticks > current)
        {
            var seen = Interlocked.CompareExchange(ref _untilUtcTicks, ticks, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>Waits until the pause is over; at once when there is none.</summary>
    /// <param name="time">The clock.</param>
    /// <param name="longest">The longest wait a send accepts.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <exception cref="SystemMailException">The pause lasts longer than <paramref name="longest"/> (kind <see cref="SystemMailErrorKind.Throttled"/>).</exception>
    public async Task WaitAsync(TimeProvider time, TimeSpan longest, CancellationToken cancellationToken)
    {
        if (PausedUntil is not { } until || until - time.GetUtcNow() is not { Ticks: > 0 } left)
        {
            return;
        }

        if (left > longest)
        {
            throw new SystemMailException(
                SystemMailErrorKind.Throttled,
                $"The provider asked to pause sending until {until:O}.",
                Hints.GraphThrottled(left))
            {
                RetryAfter = left,
            };
        }

        await Task.Delay(left, time, cancellationToken).ConfigureAwait(false);
    }
}
