using Microsoft.EntityFrameworkCore;

namespace SystemMail.EntityFrameworkCore;

/// <summary>The one lookup of an idempotency key, for a queue call that saves at once and for one into a host's context.</summary>
internal static class OutboxIdempotency
{
    /// <summary>Finds the saved mail queued under <paramref name="key"/> (or one visible to the context's transaction).</summary>
    /// <returns>Its id, or <see langword="null"/> when no saved mail has the key.</returns>
    public static async Task<Guid?> FindAsync(ISystemMailOutboxDbContext context, string key, CancellationToken cancellationToken) =>
        await context.SystemMailOutbox.AsNoTracking()
            .Where(m => m.IdempotencyKey == key)
            .Select(m => (Guid?)m.Id)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
}
