using Microsoft.EntityFrameworkCore;

namespace SystemMail.AdminSample.Data;

/// <summary>
/// SystemMail's one store over the sample's database: the OAuth2 tokens and the settings saved on the page, a row per
/// key, compare-and-swap on its version.
/// </summary>
public sealed class EfOAuthTokenStore(IDbContextFactory<SampleDbContext> contexts) : IOAuthTokenStore
{
    public async ValueTask<OAuthTokenStoreEntry?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.OAuthTokens.AsNoTracking().SingleOrDefaultAsync(r => r.Key == key, cancellationToken);
        return row is null ? null : new OAuthTokenStoreEntry(row.Value, row.Version);
    }

    public async ValueTask<string?> TrySaveAsync(string key, ReadOnlyMemory<byte> value, string? expectedVersion, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var version = Guid.NewGuid().ToString("N");
        var bytes = value.ToArray();
        if (expectedVersion is null)
        {
            db.OAuthTokens.Add(new OAuthTokenRow { Key = key, Value = bytes, Version = version });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return version;
            }
            catch (DbUpdateException)
            {
                return null;
            }
        }

        var updated = await db.OAuthTokens
            .Where(r => r.Key == key && r.Version == expectedVersion)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Value, bytes).SetProperty(r => r.Version, version), cancellationToken);
        return updated == 1 ? version : null;
    }

    public async ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.OAuthTokens.Where(r => r.Key == key).ExecuteDeleteAsync(cancellationToken);
    }
}
