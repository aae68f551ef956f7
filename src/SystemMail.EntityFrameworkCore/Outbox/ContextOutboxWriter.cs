using Microsoft.EntityFrameworkCore;

namespace SystemMail.EntityFrameworkCore;

/// <summary>
/// Queues into a host's context without saving: the row is added to the context's change tracker, and the host's own
/// <c>SaveChanges</c> (in the host's transaction, when there is one) commits it with the host's change, or not at all.
/// </summary>
internal sealed class ContextOutboxWriter : OutboxWriter
{
    private readonly ISystemMailOutboxDbContext _context;

    public ContextOutboxWriter(OutboxComposer composer, ISystemMailOutboxDbContext context)
        : base(composer)
    {
        _context = context;
    }

    protected override async Task<Guid> AddAsync(SystemMailOutboxMessage row, CancellationToken cancellationToken)
    {
        if (row.IdempotencyKey is { } key)
        {
            // A row this context added but has not saved, then one committed (or visible to the host's transaction).
            var added = _context.SystemMailOutbox.Local.FirstOrDefault(m => m.IdempotencyKey == key);
            if (added is not null)
            {
                return added.Id;
            }

            if (await OutboxIdempotency.FindAsync(_context, key, cancellationToken).ConfigureAwait(false) is { } id)
            {
                return id;
            }
        }

        _context.SystemMailOutbox.Add(row);
        return row.Id;
    }
}
