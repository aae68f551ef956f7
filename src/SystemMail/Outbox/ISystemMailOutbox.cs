namespace SystemMail;

/// <summary>
/// The outbox: queues system mails durably (see <see cref="ISystemMailOutboxWriter"/>), sends them in the background
/// through the configured mail server, and lets the host see and act on them.
/// </summary>
/// <remarks>
/// A queue call through this interface is durable when it returns: the mail is saved on its own, not in a
/// transaction of the caller's. To queue a mail in the same transaction as the host's own change, use the outbox
/// package's <c>outbox.In(dbContext)</c>.
/// </remarks>
public interface ISystemMailOutbox : ISystemMailOutboxWriter
{
    /// <summary>Gets a queued mail's status.</summary>
    /// <param name="id">The id the queue call returned.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The mail, or <see langword="null"/> when the outbox has no mail with that id.</returns>
    Task<OutboxMail?> GetAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Lists the mails in one status, the oldest first.</summary>
    /// <param name="status">The status.</param>
    /// <param name="limit">The most mails to return, from 1 to 1000.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The mails.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is out of range.</exception>
    Task<IReadOnlyList<OutboxMail>> ListAsync(OutboxMailStatus status, int limit = 100, CancellationToken cancellationToken = default);

    /// <summary>Queues a dead-lettered mail again, to be sent at once; its not-after time is kept.</summary>
    /// <param name="id">The mail's id.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns><see langword="true"/> when the mail was dead-lettered and is pending again; otherwise <see langword="false"/>.</returns>
    Task<bool> RetryAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Cancels a pending or dead-lettered mail that no instance is sending right now; its body is deleted.</summary>
    /// <param name="id">The mail's id.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns><see langword="true"/> when the mail was cancelled; <see langword="false"/> when there is no such mail, it is being sent or it is done.</returns>
    Task<bool> CancelAsync(Guid id, CancellationToken cancellationToken = default);
}
