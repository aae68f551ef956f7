using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;

namespace SystemMail.EntityFrameworkCore;

/// <summary>
/// One mail of SystemMail's outbox in the host's database: its status, times, attempts and last failure, and while
/// it may still be sent its rendered MIME body, protected with Data Protection.
/// </summary>
/// <remarks>
/// SystemMail reads and writes these rows itself; a host only maps them (through
/// <see cref="ISystemMailOutboxDbContext.SystemMailOutbox"/>) and creates the table. Times are in UTC.
/// </remarks>
[Index(nameof(IdempotencyKey), IsUnique = true)]
[Index(nameof(Status), nameof(NextAttemptAt))]
[Index(nameof(LeaseToken))]
public sealed class SystemMailOutboxMessage
{
    /// <summary>The longest idempotency key.</summary>
    internal const int MaxIdempotencyKeyLength = 200;

    /// <summary>Gets or sets the mail's id, the primary key.</summary>
    [Key]
    public Guid Id { get; set; }

    /// <summary>Gets or sets the kind of mail: <see cref="SystemMailKind"/>'s name, or <c>custom</c>.</summary>
    [MaxLength(32)]
    public string Kind { get; set; } = string.Empty;

    /// <summary>Gets or sets the status.</summary>
    public OutboxMailStatus Status { get; set; }

    /// <summary>Gets or sets the key that makes queueing idempotent, or <see langword="null"/>; unique.</summary>
    [MaxLength(MaxIdempotencyKeyLength)]
    public string? IdempotencyKey { get; set; }

    /// <summary>Gets or sets the rendered MIME message, protected with Data Protection; <see langword="null"/> once the mail is done and its body purged.</summary>
    public byte[]? Body { get; set; }

    /// <summary>Gets or sets the Message-Id, without angle brackets.</summary>
    [MaxLength(250)]
    public string? MessageId { get; set; }

    /// <summary>Gets or sets when the mail was queued.</summary>
    public DateTime QueuedAt { get; set; }

    /// <summary>Gets or sets the time after which the mail is not sent.</summary>
    public DateTime NotAfter { get; set; }

    /// <summary>Gets or sets when a pending mail is tried next.</summary>
    public DateTime NextAttemptAt { get; set; }

    /// <summary>Gets or sets when the mail was sent, expired, dead-lettered or cancelled.</summary>
    public DateTime? CompletedAt { get; set; }

    /// <summary>Gets or sets how many times sending was tried.</summary>
    public int Attempts { get; set; }

    /// <summary>Gets or sets the instance that holds the lease (for the administrator's eyes; the token decides).</summary>
    [MaxLength(200)]
    public string? LeaseOwner { get; set; }

    /// <summary>Gets or sets the token of the claim that holds the lease.</summary>
    [MaxLength(32)]
    public string? LeaseToken { get; set; }

    /// <summary>Gets or sets until when the lease holds; after that another instance may take the mail over.</summary>
    public DateTime? LeaseUntil { get; set; }

    /// <summary>Gets or sets the kind of the last failure (<see cref="SystemMailErrorKind"/>'s name).</summary>
    [MaxLength(32)]
    public string? LastErrorKind { get; set; }

    /// <summary>Gets or sets the SMTP reply code of the last failure.</summary>
    public int? LastStatusCode { get; set; }

    /// <summary>Gets or sets the hint id of the last failure.</summary>
    [MaxLength(100)]
    public string? LastHintId { get; set; }
}
