using Microsoft.EntityFrameworkCore;

namespace SystemMail.EntityFrameworkCore;

/// <summary>
/// The outbox over the host's <typeparamref name="TContext"/>: a queue call saves its row at once on a context of its
/// own (durable when it returns); <see cref="In"/> queues into the host's context instead, for the host's save.
/// </summary>
/// <typeparam name="TContext">The host's context.</typeparam>
internal sealed class EfCoreSystemMailOutbox<TContext> : OutboxWriter, ISystemMailOutbox, IContextOutbox
    where TContext : DbContext, ISystemMailOutboxDbContext
{
    private readonly OutboxComposer _composer;
    private readonly OutboxStore<TContext> _store;

    public EfCoreSystemMailOutbox(OutboxComposer composer, OutboxStore<TContext> store)
        : base(composer)
    {
        _composer = composer;
        _store = store;
    }

    public Task<OutboxMail?> GetAsync(Guid id, CancellationToken cancellationToken = default) => _store.GetAsync(id, cancellationToken);

    public async Task<IReadOnlyList<OutboxMail>> ListAsync(OutboxMailStatus status, int limit = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 1000);
        return await _store.ListAsync(status, limit, cancellationToken).ConfigureAwait(false);
    }

    public Task<bool> RetryAsync(Guid id, CancellationToken cancellationToken = default) => _store.RetryAsync(id, cancellationToken);

    public Task<bool> CancelAsync(Guid id, CancellationToken cancellationToken = default) => _store.CancelAsync(id, cancellationToken);

    public ISystemMailOutboxWriter In(DbContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context is not ISystemMailOutboxDbContext outboxContext)
        {
            throw new ArgumentException($"{context.GetType().Name} does not keep SystemMail's outbox: it must implement {nameof(ISystemMailOutboxDbContext)}.", nameof(context));
        }

        return new ContextOutboxWriter(_composer, outboxContext);
    }

    protected override Task<Guid> AddAsync(SystemMailOutboxMessage row, CancellationToken cancellationToken) => _store.InsertAsync(row, cancellationToken);
}

/// <summary>An outbox that can queue into a host's context.</summary>
internal interface IContextOutbox
{
    ISystemMailOutboxWriter In(DbContext context);
}
