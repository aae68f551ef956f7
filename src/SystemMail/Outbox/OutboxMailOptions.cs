namespace SystemMail;

/// <summary>The options of one queued mail.</summary>
public sealed class OutboxMailOptions
{
    /// <summary>
    /// Gets or sets the time after which the mail is not sent (its status becomes <see cref="OutboxMailStatus.Expired"/>),
    /// or <see langword="null"/> for the default: the queue time plus the lifetime of the mail's link or code, else
    /// plus the outbox's default lifetime.
    /// </summary>
    public DateTimeOffset? NotAfter { get; set; }

    /// <summary>
    /// Gets or sets a key, at most 200 characters, that makes queueing idempotent (for example <c>activation:42</c>):
    /// while the outbox keeps a mail queued with this key, another queue call with it queues nothing and returns the
    /// first mail's id. <see langword="null"/> for none.
    /// </summary>
    public string? IdempotencyKey { get; set; }
}
