using Microsoft.EntityFrameworkCore;

namespace SystemMail.EntityFrameworkCore;

/// <summary>Queues system mails in the host's own transaction.</summary>
public static class SystemMailOutboxExtensions
{
    /// <summary>
    /// Queues into <paramref name="context"/> without saving (the transactional outbox): the mail's row is added to the
    /// context, and the host's own <c>SaveChanges</c> commits it together with the host's change, in the host's
    /// transaction when there is one; a change that is rolled back or never saved sends nothing.
    /// </summary>
    /// <param name="outbox">The outbox.</param>
    /// <param name="context">The host's context, implementing <see cref="ISystemMailOutboxDbContext"/>.</param>
    /// <returns>A writer whose queue calls add to <paramref name="context"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="context"/> does not implement <see cref="ISystemMailOutboxDbContext"/>.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="outbox"/> is not the outbox of <c>AddOutbox</c>.</exception>
    public static ISystemMailOutboxWriter In(this ISystemMailOutbox outbox, DbContext context)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        return outbox is IContextOutbox contextOutbox
            ? contextOutbox.In(context)
            : throw new InvalidOperationException("Only the outbox registered with AddOutbox<TContext>() queues into a context.");
    }
}
