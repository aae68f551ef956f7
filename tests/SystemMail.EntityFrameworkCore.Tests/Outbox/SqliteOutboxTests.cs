using SystemMail.EntityFrameworkCore.Tests.Infrastructure;

namespace SystemMail.EntityFrameworkCore.Tests.Outbox;

/// <summary>The outbox on SQLite, a file database as the samples embed it.</summary>
public sealed class SqliteOutboxTests : OutboxTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync(CancellationToken cancellationToken) =>
        Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}
