namespace SystemMail;

/// <summary>Where a queued mail stands.</summary>
public enum OutboxMailStatus
{
    /// <summary>Waiting to be sent, being sent, or waiting to be tried again after a transient failure.</summary>
    Pending = 0,

    /// <summary>Accepted by the mail server.</summary>
    Sent = 1,

    /// <summary>Refused for good (a rejected recipient, a 5xx reply, settings to fix): kept for an administrator to retry or cancel.</summary>
    DeadLettered = 2,

    /// <summary>Not sent because its not-after time passed first.</summary>
    Expired = 3,

    /// <summary>Cancelled before it was sent.</summary>
    Cancelled = 4,
}
