using SystemMail.EntityFrameworkCore.Tests.Infrastructure;

namespace SystemMail.EntityFrameworkCore.Tests.Stores;

/// <summary>The store on a real PostgreSQL (a private cluster the tests start), a new database per test.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlStoreTests(PostgreSqlFixture postgres) : SystemMailStoreTests
{
    protected override async Task<TestDatabase> CreateDatabaseAsync(CancellationToken cancellationToken) =>
        new PostgreSqlTestDatabase(await postgres.Server.CreateDatabaseAsync(cancellationToken));
}
