using System.ComponentModel.DataAnnotations;

namespace SystemMail;

/// <summary>How transient failures are retried: exponential backoff with jitter. Permanent failures (5xx) never are.</summary>
/// <remarks>
/// Retried: <see cref="SystemMailErrorKind.Transient"/> (4xx replies, token endpoint unavailable),
/// <see cref="SystemMailErrorKind.Timeout"/> and <see cref="SystemMailErrorKind.Connection"/>. A connection lost after the
/// server received the whole message but before it answered can, rarely, deliver that mail twice.
/// </remarks>
public sealed class SmtpRetryOptions
{
    /// <summary>Gets or sets how many times a failed send is tried again, at most 10; 0 turns retries off. Defaults to 3.</summary>
    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Gets or sets the delay before the first retry, at most 5 minutes; later ones double it. Defaults to 1 second.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00", MinimumIsExclusive = true)]
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gets or sets the longest delay between two attempts: at least <see cref="Delay"/> and at most 1 day, the longest
    /// the retry strategy (Polly) accepts. Defaults to 30 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", MinimumIsExclusive = true)]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets whether delays are randomized so that many senders do not retry in step. Defaults to <see langword="true"/>.</summary>
    public bool UseJitter { get; set; } = true;
}
