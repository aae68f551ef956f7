using Microsoft.EntityFrameworkCore;
using SystemMail.AspNetCore;

namespace SystemMail.AdminSample.Data;

/// <summary>SystemMail's settings store over the sample's database: one row, compare-and-swap on its version.</summary>
public sealed class EfMailSettingsStore(IDbContextFactory<SampleDbContext> contexts) : ISystemMailSettingsStore
{
    private const int RowId = 1;

    public async ValueTask<SystemMailSettingsEntry?> GetAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.MailSettings.AsNoTracking().SingleOrDefaultAsync(r => r.Id == RowId, cancellationToken);
        return row is null ? null : new SystemMailSettingsEntry(row.Value, row.Version);
    }

    public async ValueTask<string?> TrySaveAsync(ReadOnlyMemory<byte> value, string? expectedVersion, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var version = Guid.NewGuid().ToString("N");
        var bytes = value.ToArray();
        if (expectedVersion is null)
        {
            db.MailSettings.Add(new MailSettingsRow { Id = RowId, Value = bytes, Version = version });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return version;
            }
            catch (DbUpdateException)
            {
                return null; // someone saved first
            }
        }

        var updated = await db.MailSettings
            .Where(r => r.Id == RowId && r.Version == expectedVersion)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Value, bytes).SetProperty(r => r.Version, version), cancellationToken);
        return updated == 1 ? version : null;
    }
}
