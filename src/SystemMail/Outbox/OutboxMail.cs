namespace SystemMail;

/// <summary>A queued mail as the outbox sees it: status, times, attempts and the last failure; never its body.</summary>
public sealed class OutboxMail
{
    /// <summary>Initializes a new instance of the <see cref="OutboxMail"/> class.</summary>
    /// <param name="id">The mail's id.</param>
    /// <param name="kind">The kind of mail (<see cref="SystemMailKind"/>'s name, or <c>custom</c>).</param>
    /// <param name="status">The status.</param>
    /// <param name="queuedAt">When the mail was queued.</param>
    /// <param name="notAfter">The time after which the mail is not sent.</param>
    public OutboxMail(Guid id, string kind, OutboxMailStatus status, DateTimeOffset queuedAt, DateTimeOffset notAfter)
    {
        Id = id;
        Kind = kind;
        Status = status;
        QueuedAt = queuedAt;
        NotAfter = notAfter;
    }

    /// <summary>Gets the mail's id.</summary>
    public Guid Id { get; }

    /// <summary>Gets the kind of mail: <see cref="SystemMailKind"/>'s name, or <c>custom</c> for a host's own message.</summary>
    public string Kind { get; }

    /// <summary>Gets the status.</summary>
    public OutboxMailStatus Status { get; }

    /// <summary>Gets when the mail was queued.</summary>
    public DateTimeOffset QueuedAt { get; }

    /// <summary>Gets the time after which the mail is not sent.</summary>
    public DateTimeOffset NotAfter { get; }

    /// <summary>Gets how many times sending was tried.</summary>
    public int Attempts { get; init; }

    /// <summary>Gets when a pending mail is tried next.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>Gets when the mail was sent, expired, dead-lettered or cancelled.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Gets the Message-Id the mail was queued with (without angle brackets).</summary>
    public string? MessageId { get; init; }

    /// <summary>Gets the kind of the last failure, or <see langword="null"/> when no attempt failed.</summary>
    public SystemMailErrorKind? LastErrorKind { get; init; }

    /// <summary>Gets the SMTP reply code of the last failure, when the server answered.</summary>
    public int? LastStatusCode { get; init; }

    /// <summary>Gets the id of the hint for the last failure (see <see cref="SystemMailException.HintId"/>).</summary>
    public string? LastHintId { get; init; }
}
