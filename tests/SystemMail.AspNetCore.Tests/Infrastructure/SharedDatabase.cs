using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SystemMail.EntityFrameworkCore;

namespace SystemMail.AspNetCore.Tests.Infrastructure;

/// <summary>One SQLite file that several hosts keep SystemMail's records in, through the EF Core store (a real compare-and-swap).</summary>
public sealed class SharedDatabase : IAsyncDisposable
{
    private readonly DirectoryInfo _directory;

    private SharedDatabase(DirectoryInfo directory)
    {
        _directory = directory;
        ConnectionString = $"Data Source={Path.Combine(directory.FullName, "mail.db")}";
    }

    public string ConnectionString { get; }

    public static async Task<SharedDatabase> CreateAsync(CancellationToken cancellationToken)
    {
        var database = new SharedDatabase(Directory.CreateTempSubdirectory("systemmail-templates-"));
        await using var context = new RecordsDbContext(new DbContextOptionsBuilder<RecordsDbContext>().UseSqlite(database.ConnectionString).Options);
        await context.Database.EnsureCreatedAsync(cancellationToken);
        return database;
    }

    /// <summary>Keeps a host's records here: for <c>AdminHost.StartAsync</c>'s SystemMail builder.</summary>
    public void Persist(ISystemMailBuilder builder)
    {
        builder.Services.AddDbContext<RecordsDbContext>(o => o.UseSqlite(ConnectionString));
        builder.PersistToDbContext<RecordsDbContext>();
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        _directory.Delete(recursive: true);
        return ValueTask.CompletedTask;
    }

    /// <summary>A host's context with SystemMail's records and its outbox.</summary>
    public sealed class RecordsDbContext(DbContextOptions<RecordsDbContext> options) : DbContext(options), ISystemMailOutboxDbContext
    {
        public DbSet<SystemMailRecord> SystemMailRecords => Set<SystemMailRecord>();

        public DbSet<SystemMailOutboxMessage> SystemMailOutbox => Set<SystemMailOutboxMessage>();
    }
}
