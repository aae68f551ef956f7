namespace SystemMail;

/// <summary>A time limit on the injected <see cref="TimeProvider"/>, whose token is cancelled when the limit is reached or when the caller cancels.</summary>
internal sealed class Deadline : IDisposable
{
    private readonly CancellationTokenSource _timer;
    private readonly CancellationTokenSource? _linked;

    public Deadline(TimeProvider time, TimeSpan limit, CancellationToken cancellationToken)
    {
        _timer = new CancellationTokenSource(limit, time);
        _linked = cancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _timer.Token) : null;
    }

    /// <summary>Gets the token to pass on: cancelled at the deadline or by the caller.</summary>
    public CancellationToken Token => (_linked ?? _timer).Token;

    public void Dispose()
    {
        _linked?.Dispose();
        _timer.Dispose();
    }
}
