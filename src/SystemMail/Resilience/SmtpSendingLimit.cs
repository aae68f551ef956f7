namespace SystemMail;

/// <summary>How many mails a provider accepts in a window, such as Office 365's 30 a minute per mailbox.</summary>
public sealed class SmtpSendingLimit
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="permitLimit">How many mails may be sent in <paramref name="window"/>.</param>
    /// <param name="window">The sliding window.</param>
    public SmtpSendingLimit(int permitLimit, TimeSpan window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permitLimit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        PermitLimit = permitLimit;
        Window = window;
    }

    /// <summary>Gets how many mails may be sent in <see cref="Window"/>.</summary>
    public int PermitLimit { get; }

    /// <summary>Gets the sliding window.</summary>
    public TimeSpan Window { get; }

    /// <summary>Returns the limit, such as <c>30 per 00:01:00</c>.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => $"{PermitLimit} per {Window}";
}
