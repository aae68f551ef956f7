using System.Diagnostics;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SystemMail.Benchmarks.Server;
using SystemMail.EntityFrameworkCore;
using SystemMail.EntityFrameworkCore.Tests.Infrastructure;

namespace SystemMail.Benchmarks.Outbox;

/// <summary>
/// The outbox scenario (<c>--outbox</c>): how fast mails are queued (SQLite, PostgreSQL), and how fast the dispatcher
/// drains them, as a ratio to sending the same mails directly, one after another, against the same server in the
/// same run.
/// </summary>
internal static class OutboxBenchmark
{
    public static async Task<int> RunAsync(bool quick, TextWriter log, CancellationToken cancellationToken)
    {
        var mails = quick ? 500 : 2000;
        await using var server = await BenchmarkSmtpServer.StartAsync().ConfigureAwait(false);
        log.WriteLine($"outbox: {mails} activation mails, server {server.Description}");

        var direct = await DirectAsync(server, mails, cancellationToken).ConfigureAwait(false);
        log.WriteLine($"  direct, sequential ISystemMailer: {direct:0.0} mails/s");

        foreach (var wal in new[] { false, true })
        {
            var sqliteFolder = Directory.CreateTempSubdirectory("systemmail-bench-sqlite-");
            try
            {
                var file = Path.Combine(sqliteFolder.FullName, "outbox.db");
                var sqlite = await OutboxAsync(server, o => o.UseSqlite($"Data Source={file}"), instances: 1, mails, cancellationToken, wal ? "PRAGMA journal_mode=WAL;" : null).ConfigureAwait(false);
                log.WriteLine($"  SQLite ({(wal ? "WAL" : "default journal")}), 1 instance: queue {sqlite.Queue:0.0} mails/s, drain {sqlite.Drain:0.0} mails/s, drain/direct {sqlite.Drain / direct:0.00}");
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                sqliteFolder.Delete(recursive: true);
            }
        }

        await using var postgres = await PostgreSqlTestServer.StartAsync(cancellationToken).ConfigureAwait(false);
        foreach (var instances in new[] { 1, 3 })
        {
            var connection = await postgres.CreateDatabaseAsync(cancellationToken).ConfigureAwait(false);
            var pg = await OutboxAsync(server, o => o.UseNpgsql(connection), instances, mails, cancellationToken).ConfigureAwait(false);
            log.WriteLine($"  PostgreSQL, {instances} instance(s): queue {pg.Queue:0.0} mails/s, drain {pg.Drain:0.0} mails/s, drain/direct {pg.Drain / direct:0.00}");
        }

        return 0;
    }

    private static async Task<double> DirectAsync(BenchmarkSmtpServer server, int mails, CancellationToken cancellationToken)
    {
        await using var services = Mail.ActivationMail.CreateMailer(server.Host, server.Port, server.Pin(), poolSize: 4);
        var mailer = services.GetRequiredService<ISystemMailer>();
        for (var i = 0; i < 20; i++)
        {
            await mailer.SendActivationAsync(Mail.ActivationMail.Recipient, Mail.ActivationMail.Link, Mail.ActivationMail.Lifetime, Mail.ActivationMail.Culture, cancellationToken).ConfigureAwait(false);
        }

        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < mails; i++)
        {
            await mailer.SendActivationAsync(Mail.ActivationMail.Recipient, Mail.ActivationMail.Link, Mail.ActivationMail.Lifetime, Mail.ActivationMail.Culture, cancellationToken).ConfigureAwait(false);
        }

        return mails / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private static async Task<(double Queue, double Drain)> OutboxAsync(BenchmarkSmtpServer server, Action<DbContextOptionsBuilder> database, int instances, int mails, CancellationToken cancellationToken, string? prepare = null)
    {
        var keys = Directory.CreateTempSubdirectory("systemmail-bench-keys-");
        var hosts = Enumerable.Range(0, instances).Select(i => CreateHost(server, database, keys.FullName, i)).ToList();
        try
        {
            await using (var context = await hosts[0].GetRequiredService<IDbContextFactory<BenchDbContext>>().CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
            {
                await context.Database.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
                if (prepare is not null)
                {
                    await context.Database.ExecuteSqlRawAsync(prepare, cancellationToken).ConfigureAwait(false);
                }
            }

            var outbox = hosts[0].GetRequiredService<ISystemMailOutbox>();
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < mails; i++)
            {
                await outbox.QueueActivationAsync(Mail.ActivationMail.Recipient, Mail.ActivationMail.Link, Mail.ActivationMail.Lifetime, Mail.ActivationMail.Culture, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            var queue = mails / Stopwatch.GetElapsedTime(started).TotalSeconds;
            var dispatchers = hosts.SelectMany(h => h.GetServices<IHostedService>()).ToList();
            started = Stopwatch.GetTimestamp();
            foreach (var dispatcher in dispatchers)
            {
                await dispatcher.StartAsync(cancellationToken).ConfigureAwait(false);
            }

            var factory = hosts[0].GetRequiredService<IDbContextFactory<BenchDbContext>>();
            while (true)
            {
                await using var context = await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
                if (!await context.SystemMailOutbox.AnyAsync(m => m.Status == OutboxMailStatus.Pending, cancellationToken).ConfigureAwait(false))
                {
                    break;
                }

                await Task.Delay(10, cancellationToken).ConfigureAwait(false);
            }

            var drain = mails / Stopwatch.GetElapsedTime(started).TotalSeconds;
            foreach (var dispatcher in dispatchers)
            {
                await dispatcher.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }

            return (queue, drain);
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync().ConfigureAwait(false);
            }

            keys.Delete(recursive: true);
        }
    }

    private static ServiceProvider CreateHost(BenchmarkSmtpServer server, Action<DbContextOptionsBuilder> database, string keys, int index) =>
        CreateHost(server.Host, server.Port, server.Pin(), database, keys, index, configure: null);

    internal static ServiceProvider CreateHost(string host, int port, System.Net.Security.RemoteCertificateValidationCallback pin, Action<DbContextOptionsBuilder> database, string keys, int index, Action<SystemMailOutboxOptions>? configure, Action<SystemMailOptions>? mail = null)
    {
        var services = new ServiceCollection();
        services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(keys)).SetApplicationName("SystemMail.Benchmarks");
        services.AddDbContextFactory<BenchDbContext>(database);
        services.AddSystemMail(o =>
            {
                o.From = Mail.ActivationMail.From;
                o.Provider = "custom";
                o.Host = host;
                o.Port = port;
                o.Security = SmtpSecurity.StartTls;
                o.Authentication = SmtpAuthenticationType.Basic;
                o.Username = BenchmarkSmtpServer.User;
                o.Password = BenchmarkSmtpServer.Password;
                o.PoolSize = 4;
                o.LocalDomain = Mail.ActivationMail.LocalDomain;
                o.Product = Mail.ActivationMail.Product;
                o.CheckCertificateRevocation = false;
                o.ServerCertificateValidationCallback = pin;
                o.RecipientLimit.Enabled = false; // every mail goes to one recipient, thousands of times
                mail?.Invoke(o);
            })
            .AddOutbox<BenchDbContext>(o =>
            {
                o.InstanceName = $"bench-{index}";
                o.BatchSize = 50;
                o.PollInterval = TimeSpan.FromMilliseconds(20);
                configure?.Invoke(o);
            });
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }
}

/// <summary>The benchmark host's context: SystemMail's records and outbox.</summary>
internal sealed class BenchDbContext(DbContextOptions<BenchDbContext> options) : DbContext(options), ISystemMailOutboxDbContext
{
    public DbSet<SystemMailRecord> SystemMailRecords => Set<SystemMailRecord>();

    public DbSet<SystemMailOutboxMessage> SystemMailOutbox => Set<SystemMailOutboxMessage>();
}
