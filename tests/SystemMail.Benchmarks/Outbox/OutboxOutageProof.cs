using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using SystemMail.Benchmarks.Server;

namespace SystemMail.Benchmarks.Outbox;

/// <summary>
/// The outage proof (<c>--outbox-outage</c>): 5,000 mails queued in SQLite; when half have arrived the SMTP server
/// stops for a minute and then starts again on the same port. The mails wait in the outbox and go out when it is
/// back: none dead-lettered, none lost, and a second copy only of a mail the stop cut off after the server took it.
/// </summary>
internal static class OutboxOutageProof
{
    private const int MaxConcurrentSends = 4;

    private static readonly TimeSpan Outage = TimeSpan.FromMinutes(1);

    public static async Task<int> RunAsync(int mails, TextWriter log, CancellationToken cancellationToken)
    {
        var server = await BenchmarkSmtpServer.StartAsync().ConfigureAwait(false);
        var folder = Directory.CreateTempSubdirectory("systemmail-outage-");
        var database = Path.Combine(folder.FullName, "outbox.db");
        var keys = Directory.CreateDirectory(Path.Combine(folder.FullName, "keys")).FullName;
        try
        {
            await using var host = OutboxBenchmark.CreateHost(
                server.Host, server.Port, server.Pin(), o => o.UseSqlite($"Data Source={database}"), keys, 0, o =>
                {
                    o.MaxConcurrentSends = MaxConcurrentSends;
                    o.RetryDelay = TimeSpan.FromSeconds(2);
                    o.MaxRetryDelay = TimeSpan.FromSeconds(10);
                });
            var ids = await OutboxProofKit.QueueAsync(host, mails, cancellationToken, "PRAGMA journal_mode=WAL;").ConfigureAwait(false);
            log.WriteLine($"outage proof: {mails} mails queued in SQLite; the server stops for {Outage.TotalSeconds:0} s when {mails / 2} have arrived");
            var dispatchers = await OutboxProofKit.StartAsync(host, cancellationToken).ConfigureAwait(false);
            while (server.Received < mails / 2)
            {
                await Task.Delay(5, cancellationToken).ConfigureAwait(false);
            }

            await server.StopAsync().ConfigureAwait(false);
            var atStop = server.Received;
            await Task.Delay(Outage, cancellationToken).ConfigureAwait(false);
            var duringOutage = server.Received - atStop;
            var waiting = ids.Count - server.MessageIds.Count;
            server = await BenchmarkSmtpServer.RestartAsync(server).ConfigureAwait(false);
            var back = Stopwatch.GetTimestamp();
            var outcome = await OutboxProofKit.DrainedAsync(host, cancellationToken).ConfigureAwait(false);
            var catchUp = (server.Arrivals.Max() - back) / (double)Stopwatch.Frequency;
            foreach (var dispatcher in dispatchers)
            {
                await dispatcher.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }

            var (delivered, lost, duplicates) = OutboxProofKit.Count(server, ids);
            var passed = lost == 0 && outcome.DeadLettered == 0 && duringOutage == 0 && duplicates <= MaxConcurrentSends;
            log.WriteLine(
                $"  {(passed ? "PASS" : "FAIL")}: received {atStop} before the stop, {duringOutage} during it, {waiting} waiting when it came back; "
                + $"delivered {delivered}/{ids.Count}, lost {lost}, dead-lettered {outcome.DeadLettered}, duplicates {duplicates} (allowed: the {MaxConcurrentSends} sends in flight at the stop), "
                + $"retries {outcome.Retries}, last mail {catchUp:0.0} s after the server was back");
            return passed ? 0 : 1;
        }
        finally
        {
            await server.DisposeAsync().ConfigureAwait(false);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }
}
