using System.ComponentModel.DataAnnotations;

namespace SystemMail.EntityFrameworkCore;

/// <summary>The outbox's options: how its dispatcher claims, retries and cleans up.</summary>
public sealed class SystemMailOutboxOptions
{
    /// <summary>Gets or sets whether this instance runs the dispatcher that sends the queued mails; <see langword="false"/> for an instance that only queues. The default is <see langword="true"/>.</summary>
    public bool Dispatch { get; set; } = true;

    /// <summary>Gets or sets the name of this instance in the leases it takes; the default is the machine name and the process id.</summary>
    [MaxLength(150)]
    public string? InstanceName { get; set; }

    /// <summary>Gets or sets the most mails one claim takes. The default is 20.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 20;

    /// <summary>Gets or sets the most mails this instance sends at the same time. The default is 4.</summary>
    [Range(1, 100)]
    public int MaxConcurrentSends { get; set; } = 4;

    /// <summary>Gets or sets how long a claim holds its mails: a dead instance's mails are taken over after that. The default is 5 minutes; keep it well above the send timeout.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets how long the dispatcher waits when it found nothing to send. The default is 2 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets the wait before the first retry after a transient failure; it doubles with each attempt. The default is 30 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the longest wait between retries. The default is 15 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Gets or sets the not-after time of a mail without a link or code lifetime, counted from queueing. The default is 1 day.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan DefaultLifetime { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Gets or sets how long a sent mail keeps its body; the default, zero, deletes it with the send.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan SentBodyRetention { get; set; } = TimeSpan.Zero;

    /// <summary>Gets or sets how long a done mail's row (sent, expired, dead-lettered, cancelled) is kept, for its status and idempotency key. The default is 30 days.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00")]
    public TimeSpan RetentionPeriod { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Gets or sets the age of the oldest pending mail from which the outbox's health check reports Degraded. The default is 15 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan HealthAgeThreshold { get; set; } = TimeSpan.FromMinutes(15);
}
