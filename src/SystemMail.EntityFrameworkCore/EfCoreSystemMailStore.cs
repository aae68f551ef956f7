using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace SystemMail.EntityFrameworkCore;

/// <summary>
/// SystemMail's one store (<see cref="IOAuthTokenStore"/>) over the host's <typeparamref name="TContext"/>: a row of
/// <see cref="SystemMailRecord"/> per key, every write a compare-and-swap done by the database in one statement.
/// </summary>
/// <remarks>
/// <para>
/// The store is a singleton, called from requests and from background token refreshes alike, so it never shares a
/// caller's context (its change tracker, its transaction): every call opens a service scope and takes a context of
/// its own, from <see cref="IDbContextFactory{TContext}"/> when the host registered one (<c>AddDbContextFactory</c>,
/// pooled or not), else the scoped context (<c>AddDbContext</c>). The scope also serves scoped services a context may
/// depend on. Data Protection's <c>PersistKeysToDbContext</c> works the same way.
/// </para>
/// <para>
/// Compare-and-swap without a transaction or a lock, so it holds on every provider and between host instances:
/// a first save is an <c>INSERT</c>, refused by the primary key when another writer inserted first; a later save is
/// one <c>UPDATE … WHERE Key = @key AND Version = @expected</c>, which changes one row or none. A take is a read and
/// one <c>DELETE … WHERE Key = @key AND Version = @read</c>: of two callers, the one whose delete removed the row has it.
/// </para>
/// <para>
/// Rows with an <see cref="SystemMailRecord.ExpiresAt"/> in the past are not read, and are deleted before each save of
/// an expiring row, so abandoned authorizations do not pile up.
/// </para>
/// </remarks>
/// <typeparam name="TContext">The host's context.</typeparam>
internal sealed class EfCoreSystemMailStore<TContext> : IOAuthTokenStore
    where TContext : DbContext, ISystemMailDbContext
{
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;

    public EfCoreSystemMailStore(IServiceScopeFactory scopes, TimeProvider time)
    {
        _scopes = scopes;
        _time = time;
    }

    public async ValueTask<OAuthTokenStoreEntry?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        CheckKey(key);
        cancellationToken.ThrowIfCancellationRequested();
        var now = _time.GetUtcNow().UtcDateTime;
        var row = await UseContextAsync(
            (context, ct) => context.SystemMailRecords.AsNoTracking()
                .Where(r => r.Key == key && (r.ExpiresAt == null || r.ExpiresAt > now))
                .Select(r => new { r.Value, r.Version })
                .FirstOrDefaultAsync(ct),
            cancellationToken).ConfigureAwait(false);
        return row is null ? null : new OAuthTokenStoreEntry(row.Value, row.Version);
    }

    public async ValueTask<OAuthTokenStoreEntry?> TakeAsync(string key, CancellationToken cancellationToken = default)
    {
        var entry = await GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (entry is null)
        {
            return null;
        }

        var version = entry.Version;
        var taken = await UseContextAsync(
            (context, ct) => context.SystemMailRecords.Where(r => r.Key == key && r.Version == version).ExecuteDeleteAsync(ct),
            cancellationToken).ConfigureAwait(false);
        return taken == 1 ? entry : null;
    }

    public ValueTask<string?> TrySaveExpiringAsync(string key, ReadOnlyMemory<byte> value, string? expectedVersion, DateTimeOffset expiresAt, CancellationToken cancellationToken = default) =>
        SaveAsync(key, value, expectedVersion, expiresAt.UtcDateTime, cancellationToken);

    public ValueTask<string?> TrySaveAsync(string key, ReadOnlyMemory<byte> value, string? expectedVersion, CancellationToken cancellationToken = default) =>
        SaveAsync(key, value, expectedVersion, expiresAt: null, cancellationToken);

    private async ValueTask<string?> SaveAsync(string key, ReadOnlyMemory<byte> value, string? expectedVersion, DateTime? expiresAt, CancellationToken cancellationToken)
    {
        CheckKey(key);
        cancellationToken.ThrowIfCancellationRequested();
        var bytes = value.ToArray();
        var version = Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);
        var now = _time.GetUtcNow().UtcDateTime;
        if (expiresAt is not null || expectedVersion is null)
        {
            // Expired rows go: abandoned authorizations, and an expired row under this key that would refuse the insert.
            await UseContextAsync(
                (context, ct) => context.SystemMailRecords.Where(r => r.ExpiresAt != null && r.ExpiresAt <= now).ExecuteDeleteAsync(ct),
                cancellationToken).ConfigureAwait(false);
        }

        var saved = expectedVersion is null
            ? await UseContextAsync((context, ct) => InsertAsync(context, key, bytes, version, now, expiresAt, ct), cancellationToken).ConfigureAwait(false)
            : await UseContextAsync(
                async (context, ct) => await context.SystemMailRecords
                    .Where(r => r.Key == key && r.Version == expectedVersion && (r.ExpiresAt == null || r.ExpiresAt > now))
                    .ExecuteUpdateAsync(
                        s => s.SetProperty(r => r.Value, bytes).SetProperty(r => r.Version, version).SetProperty(r => r.UpdatedAt, now).SetProperty(r => r.ExpiresAt, expiresAt),
                        ct).ConfigureAwait(false) == 1,
                cancellationToken).ConfigureAwait(false);
        return saved ? version : null;
    }

    public async ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default)
    {
        CheckKey(key);
        cancellationToken.ThrowIfCancellationRequested();
        await UseContextAsync(
            (context, ct) => context.SystemMailRecords.Where(r => r.Key == key).ExecuteDeleteAsync(ct),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Saves only when the key has no row: the primary key refuses a second insert, whoever made the first.</summary>
    /// <returns><see langword="true"/> when this insert made the row; <see langword="false"/> when another writer's row was there.</returns>
    private static async Task<bool> InsertAsync(TContext context, string key, byte[] bytes, string version, DateTime now, DateTime? expiresAt, CancellationToken cancellationToken)
    {
        context.SystemMailRecords.Add(new SystemMailRecord { Key = key, Value = bytes, Version = version, UpdatedAt = now, ExpiresAt = expiresAt });
        try
        {
            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DbUpdateException)
        {
            // Providers report a duplicate key each with their own error code; the row being there is the one
            // answer they share. Any other failure (the database down, a column too small) is the store's error.
            context.ChangeTracker.Clear();
            if (await context.SystemMailRecords.AsNoTracking().AnyAsync(r => r.Key == key, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            throw;
        }
    }

    private Task<T> UseContextAsync<T>(Func<TContext, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        DbContextScope.UseAsync(_scopes, work, cancellationToken);

    private static void CheckKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (key.Length > SystemMailRecord.MaxKeyLength)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"A key of SystemMail's records has at most {SystemMailRecord.MaxKeyLength} characters; this one has {key.Length}."),
                nameof(key));
        }
    }
}
