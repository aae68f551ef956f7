using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace SystemMail.EntityFrameworkCore;

/// <summary>
/// The outbox's reads and writes, each on a context of its own. Every change of state is one conditional
/// <c>UPDATE</c> (the database decides which of two writers wins), so it holds on every provider and between
/// instances without a transaction or a lock.
/// </summary>
/// <typeparam name="TContext">The host's context.</typeparam>
internal sealed partial class OutboxStore<TContext>
    where TContext : DbContext, ISystemMailOutboxDbContext
{
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;

    public OutboxStore(IServiceScopeFactory scopes, TimeProvider time)
    {
        _scopes = scopes;
        _time = time;
    }

    private DateTime Now => _time.GetUtcNow().UtcDateTime;

    /// <summary>Saves a new row; with an idempotency key already taken, saves nothing.</summary>
    /// <returns>The row's id, or the id of the row that has its key.</returns>
    public Task<Guid> InsertAsync(SystemMailOutboxMessage row, CancellationToken cancellationToken) =>
        UseAsync(
            async (context, ct) =>
            {
                if (row.IdempotencyKey is { } key && await OutboxIdempotency.FindAsync(context, key, ct).ConfigureAwait(false) is { } existing)
                {
                    return existing;
                }

                context.SystemMailOutbox.Add(row);
                try
                {
                    await context.SaveChangesAsync(ct).ConfigureAwait(false);
                    return row.Id;
                }
                catch (DbUpdateException) when (row.IdempotencyKey is not null)
                {
                    // Another caller queued the same key between the read and the insert: the unique index refused this row.
                    context.ChangeTracker.Clear();
                    return await OutboxIdempotency.FindAsync(context, row.IdempotencyKey, ct).ConfigureAwait(false) ?? throw new InvalidOperationException("The outbox refused a mail with an idempotency key no row has.");
                }
            },
            cancellationToken);

    public Task<OutboxMail?> GetAsync(Guid id, CancellationToken cancellationToken) =>
        UseAsync(
            async (context, ct) => await context.SystemMailOutbox.AsNoTracking().Where(m => m.Id == id).Select(View).FirstOrDefaultAsync(ct).ConfigureAwait(false),
            cancellationToken);

    public Task<List<OutboxMail>> ListAsync(OutboxMailStatus status, int limit, CancellationToken cancellationToken) =>
        UseAsync(
            (context, ct) => context.SystemMailOutbox.AsNoTracking().Where(m => m.Status == status).OrderBy(m => m.QueuedAt).Take(limit).Select(View).ToListAsync(ct),
            cancellationToken);

    public Task<bool> RetryAsync(Guid id, CancellationToken cancellationToken)
    {
        var now = Now;
        return UseAsync(
            async (context, ct) => await context.SystemMailOutbox
                .Where(m => m.Id == id && m.Status == OutboxMailStatus.DeadLettered && m.Body != null)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(m => m.Status, OutboxMailStatus.Pending)
                        .SetProperty(m => m.NextAttemptAt, now)
                        .SetProperty(m => m.CompletedAt, (DateTime?)null)
                        .SetProperty(m => m.NotAfter, m => m.NotAfter < now ? now.AddHours(1) : m.NotAfter),
                    ct).ConfigureAwait(false) == 1,
            cancellationToken);
    }

    public Task<bool> CancelAsync(Guid id, CancellationToken cancellationToken)
    {
        var now = Now;
        return UseAsync(
            async (context, ct) => await context.SystemMailOutbox
                .Where(m => m.Id == id
                    && (m.Status == OutboxMailStatus.Pending || m.Status == OutboxMailStatus.DeadLettered)
                    && (m.LeaseUntil == null || m.LeaseUntil < now))
                .ExecuteUpdateAsync(
                    s => s.SetProperty(m => m.Status, OutboxMailStatus.Cancelled)
                        .SetProperty(m => m.Body, (byte[]?)null)
                        .SetProperty(m => m.CompletedAt, now)
                        .SetProperty(m => m.LeaseToken, (string?)null),
                    ct).ConfigureAwait(false) == 1,
            cancellationToken);
    }

    /// <summary>Gets the number of pending mails and when the oldest was queued.</summary>
    public Task<(int Count, DateTime? Oldest)> PendingAsync(CancellationToken cancellationToken) =>
        UseAsync(
            async (context, ct) =>
            {
                var pending = context.SystemMailOutbox.AsNoTracking().Where(m => m.Status == OutboxMailStatus.Pending);
                var count = await pending.CountAsync(ct).ConfigureAwait(false);
                var oldest = count == 0 ? null : await pending.MinAsync(m => (DateTime?)m.QueuedAt, ct).ConfigureAwait(false);
                return (count, oldest);
            },
            cancellationToken);

    internal Task<T> UseAsync<T>(Func<TContext, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        DbContextScope.UseAsync(_scopes, work, cancellationToken);

    private static readonly System.Linq.Expressions.Expression<Func<SystemMailOutboxMessage, OutboxMail>> View = m =>
        new OutboxMail(m.Id, m.Kind, m.Status, Utc(m.QueuedAt), Utc(m.NotAfter))
        {
            Attempts = m.Attempts,
            NextAttemptAt = m.Status == OutboxMailStatus.Pending ? Utc(m.NextAttemptAt) : null,
            CompletedAt = m.CompletedAt == null ? null : Utc(m.CompletedAt.Value),
            MessageId = m.MessageId,
            LastErrorKind = m.LastErrorKind == null ? null : Enum.Parse<SystemMailErrorKind>(m.LastErrorKind),
            LastStatusCode = m.LastStatusCode,
            LastHintId = m.LastHintId,
        };

    private static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));
}
