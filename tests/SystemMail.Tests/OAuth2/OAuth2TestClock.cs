using Microsoft.Extensions.Time.Testing;

namespace SystemMail.Tests.OAuth2;

/// <summary>
/// The OAuth2 fixture's clock: a <see cref="FakeTimeProvider"/> the test moves, except for one wait. The wait for
/// tokens another instance is saving (<see cref="OAuthAccessTokens.NewerTokensPollInterval"/>) waits for real I/O
/// of a real second instance, so on this clock it passes after the same real time: the clock is moved by that
/// interval once the interval has really elapsed.
/// </summary>
internal sealed class OAuth2TestClock : FakeTimeProvider
{
    public OAuth2TestClock(DateTimeOffset startDateTime)
        : base(startDateTime)
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime == OAuthAccessTokens.NewerTokensPollInterval && period == Timeout.InfiniteTimeSpan)
        {
            _ = Task.Delay(dueTime).ContinueWith(_ => Advance(dueTime), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }

        return timer;
    }
}
