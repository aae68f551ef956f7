using System.ComponentModel.DataAnnotations;

namespace SystemMail;

/// <summary>
/// Paces sends to the provider's limit so that a burst of password resets waits its turn instead of failing with
/// "message submission rate exceeded". The template brings the provider's documented limit; these settings override it.
/// </summary>
public sealed class SmtpRateLimitOptions
{
    /// <summary>Gets or sets whether sends are paced. Defaults to <see langword="true"/> (no effect when neither the template nor <see cref="PermitLimit"/> with <see cref="Window"/> sets a limit).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Gets or sets how many mails, at least 1, may be sent per <see cref="Window"/>, overriding the template's limit.
    /// When the template has no limit, set it together with <see cref="Window"/>.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int? PermitLimit { get; set; }

    /// <summary>
    /// Gets or sets the sliding window, at most 31 days, overriding the template's. When the template has no limit, set it
    /// together with <see cref="PermitLimit"/>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "31.00:00:00", MinimumIsExclusive = true)]
    public TimeSpan? Window { get; set; }

    /// <summary>Gets or sets how many sends may wait for a slot; past it a send fails at once as throttled. Defaults to 1000.</summary>
    [Range(0, int.MaxValue)]
    public int QueueLimit { get; set; } = 1000;

    /// <summary>Gets or sets how long a send waits for a slot before it fails as throttled, at most 1 day. Defaults to 2 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan QueueTimeout { get; set; } = TimeSpan.FromMinutes(2);
}
