using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SystemMail.Benchmarks.Server;

namespace SystemMail.Benchmarks.Outbox;

/// <summary>
/// The crash proof (<c>--outbox-crash</c>): 5,000 mails queued in SQLite, drained by a worker process (this program
/// with <c>--outbox-worker</c>) that is killed with SIGKILL twice during the drain and started again. The server counts
/// every Message-Id: each mail must arrive, and a duplicate is only a mail whose claim's outcome the kill cut off.
/// </summary>
internal static class OutboxCrashProof
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(3);

    public static async Task<int> RunAsync(int mails, TextWriter log, CancellationToken cancellationToken)
    {
        await using var server = await BenchmarkSmtpServer.StartAsync().ConfigureAwait(false);
        var folder = Directory.CreateTempSubdirectory("systemmail-crash-");
        var database = Path.Combine(folder.FullName, "outbox.db");
        var keys = Directory.CreateDirectory(Path.Combine(folder.FullName, "keys")).FullName;
        try
        {
            var ids = await QueueAsync(server, database, keys, mails, cancellationToken).ConfigureAwait(false);
            log.WriteLine($"crash proof: {mails} mails queued in SQLite; worker killed with SIGKILL at about 30% and 65%");
            var kills = 0;
            foreach (var killAt in new[] { mails * 30 / 100, mails * 65 / 100, int.MaxValue })
            {
                using var worker = StartWorker(database, server, keys);
                while (server.MessageIds.Count < killAt && !worker.HasExited && await PendingAsync(database, cancellationToken).ConfigureAwait(false) > 0)
                {
                    await Task.Delay(killAt == int.MaxValue ? 200 : 5, cancellationToken).ConfigureAwait(false);
                }

                if (!worker.HasExited)
                {
                    worker.Kill();
                    await worker.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                    kills += killAt == int.MaxValue ? 0 : 1;
                    log.WriteLine($"  {(killAt == int.MaxValue ? "stopped" : "killed")} at {server.MessageIds.Count} distinct mails received");
                }
            }

            var (delivered, lost, duplicates) = OutboxProofKit.Count(server, ids);
            log.WriteLine($"  kills {kills}; queued {ids.Count}, delivered {delivered}, lost {lost}, duplicates {duplicates} (received {server.Received})");
            return delivered == ids.Count ? 0 : 1;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The worker: runs the dispatcher until it is killed.</summary>
    public static async Task<int> WorkAsync(string database, int port, string thumbprint, string keys)
    {
        await using var host = Host(database, "127.0.0.1", port, ServerCertificate.Pin(thumbprint), keys, Environment.ProcessId);
        await OutboxProofKit.StartAsync(host, CancellationToken.None).ConfigureAwait(false);
        await Task.Delay(Timeout.Infinite).ConfigureAwait(false);
        return 0;
    }

    private static ServiceProvider Host(string database, string host, int port, System.Net.Security.RemoteCertificateValidationCallback pin, string keys, int index) =>
        OutboxBenchmark.CreateHost(host, port, pin, o => o.UseSqlite($"Data Source={database}"), keys, index, o => o.LeaseDuration = Lease);

    private static async Task<List<string>> QueueAsync(BenchmarkSmtpServer server, string database, string keys, int mails, CancellationToken cancellationToken)
    {
        await using var host = Host(database, server.Host, server.Port, server.Pin(), keys, 0);
        return await OutboxProofKit.QueueAsync(host, mails, cancellationToken, prepare: "PRAGMA journal_mode=WAL;").ConfigureAwait(false);
    }

    private static async Task<int> PendingAsync(string database, CancellationToken cancellationToken)
    {
        var options = new DbContextOptionsBuilder<BenchDbContext>().UseSqlite($"Data Source={database}").Options;
        await using var context = new BenchDbContext(options);
        return await context.SystemMailOutbox.CountAsync(m => m.Status == OutboxMailStatus.Pending, cancellationToken).ConfigureAwait(false);
    }

    private static Process StartWorker(string database, BenchmarkSmtpServer server, string keys)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            start.ArgumentList.Add(typeof(OutboxCrashProof).Assembly.Location);
        }

        foreach (var argument in new[] { "--outbox-worker", database, server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), server.Certificate.Sha256Thumbprint, keys })
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("The worker did not start.");
    }
}
