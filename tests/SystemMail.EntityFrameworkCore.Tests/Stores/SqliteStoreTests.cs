using SystemMail.EntityFrameworkCore.Tests.Infrastructure;

namespace SystemMail.EntityFrameworkCore.Tests.Stores;

/// <summary>The store on SQLite, the samples' embedded database: a file in a temporary folder per test.</summary>
public sealed class SqliteStoreTests : SystemMailStoreTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync(CancellationToken cancellationToken) =>
        Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}
