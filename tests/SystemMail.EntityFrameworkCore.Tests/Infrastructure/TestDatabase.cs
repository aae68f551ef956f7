using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace SystemMail.EntityFrameworkCore.Tests.Infrastructure;

/// <summary>One new, empty database of a provider, for one test.</summary>
public abstract class TestDatabase : IAsyncDisposable
{
    /// <summary>Points a context at this database.</summary>
    public abstract void Configure(DbContextOptionsBuilder options);

    public abstract ValueTask DisposeAsync();
}

/// <summary>A SQLite file in a temporary folder, deleted on dispose.</summary>
public sealed class SqliteTestDatabase : TestDatabase
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("systemmail-sqlite-");

    private string ConnectionString => new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder.FullName, "app.db") }.ConnectionString;

    public override void Configure(DbContextOptionsBuilder options) => options.UseSqlite(ConnectionString);

    public override ValueTask DisposeAsync()
    {
        using (var connection = new SqliteConnection(ConnectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        _folder.Delete(recursive: true);
        return ValueTask.CompletedTask;
    }
}

/// <summary>A database in the tests' PostgreSQL cluster, which is deleted with it at the end.</summary>
public sealed class PostgreSqlTestDatabase(string connectionString) : TestDatabase
{
    public override void Configure(DbContextOptionsBuilder options) => options.UseNpgsql(connectionString);

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
