namespace SystemMail.EntityFrameworkCore.Tests.Infrastructure;

/// <summary>One PostgreSQL cluster for every test class of <see cref="PostgreSqlCollection"/>; each test makes its own database in it.</summary>
public sealed class PostgreSqlFixture : IAsyncLifetime
{
    private PostgreSqlTestServer? _server;

    public PostgreSqlTestServer Server => _server ?? throw new InvalidOperationException("The PostgreSQL cluster has not started.");

    public async ValueTask InitializeAsync() => _server = await PostgreSqlTestServer.StartAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>The test classes that share <see cref="PostgreSqlFixture"/>'s cluster.</summary>
[CollectionDefinition(Name)]
public sealed class PostgreSqlCollection : ICollectionFixture<PostgreSqlFixture>
{
    public const string Name = "PostgreSQL";
}
