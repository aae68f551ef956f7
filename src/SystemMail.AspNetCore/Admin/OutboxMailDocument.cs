using System.Globalization;

namespace SystemMail.AspNetCore;

/// <summary>
/// A queued mail as the outbox endpoints answer it: the <see cref="OutboxMail"/>'s fields, and the text of its last
/// failure's hint in the request's language (the hint's values, such as the server's address, are not kept by the
/// outbox and read "…"). Nothing of the mail's body or recipient, and no secret.
/// </summary>
internal sealed class OutboxMailDocument
{
    public Guid Id { get; init; }

    public required string Kind { get; init; }

    public OutboxMailStatus Status { get; init; }

    public DateTimeOffset QueuedAt { get; init; }

    public DateTimeOffset NotAfter { get; init; }

    public int Attempts { get; init; }

    public DateTimeOffset? NextAttemptAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public string? MessageId { get; init; }

    public SystemMailErrorKind? LastErrorKind { get; init; }

    public int? LastStatusCode { get; init; }

    public string? LastHintId { get; init; }

    /// <summary>The hint's text in the request's language; absent without a hint id or for an id this version does not know.</summary>
    public string? LastHint { get; init; }

    public static OutboxMailDocument From(OutboxMail mail, CultureInfo culture) => new()
    {
        Id = mail.Id,
        Kind = mail.Kind,
        Status = mail.Status,
        QueuedAt = mail.QueuedAt,
        NotAfter = mail.NotAfter,
        Attempts = mail.Attempts,
        NextAttemptAt = mail.NextAttemptAt,
        CompletedAt = mail.CompletedAt,
        MessageId = mail.MessageId,
        LastErrorKind = mail.LastErrorKind,
        LastStatusCode = mail.LastStatusCode,
        LastHintId = mail.LastHintId,
        LastHint = mail.LastHintId is { Length: > 0 } id ? Hint.TextOf(id, culture) : null,
    };
}
