namespace SystemMail;

/// <summary>The outcome of the most recent send, for the health check.</summary>
internal sealed class SendHealth
{
    private Outcome? _last;

    public Outcome? Last => Volatile.Read(ref _last);

    public void Succeeded(DateTimeOffset at) => Volatile.Write(ref _last, new Outcome(at, null));

    public void Failed(DateTimeOffset at, SystemMailException failure) => Volatile.Write(ref _last, new Outcome(at, failure));

    internal sealed record Outcome(DateTimeOffset At, SystemMailException? Failure);
}
