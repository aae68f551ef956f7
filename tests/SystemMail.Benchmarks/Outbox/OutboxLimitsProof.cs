using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using SystemMail.Benchmarks.Server;
using SystemMail.EntityFrameworkCore;

namespace SystemMail.Benchmarks.Outbox;

/// <summary>
/// The limits proof (<c>--outbox-limits</c>): 5,000 mails queued in SQLite, drained under a scaled provider limit of
/// L per window. No mail may fail as throttled, the server may never see more than L in any window, and the drain may
/// take at most 5% more than the limit's pace (5,000 / L windows).
/// </summary>
internal static class OutboxLimitsProof
{
    public const int Permits = 300;

    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(int mails, TextWriter log, CancellationToken cancellationToken)
    {
        await using var server = await BenchmarkSmtpServer.StartAsync().ConfigureAwait(false);
        var folder = Directory.CreateTempSubdirectory("systemmail-limits-");
        var database = Path.Combine(folder.FullName, "outbox.db");
        var keys = Directory.CreateDirectory(Path.Combine(folder.FullName, "keys")).FullName;
        try
        {
            await using var host = OutboxBenchmark.CreateHost(
                server.Host, server.Port, server.Pin(), o => o.UseSqlite($"Data Source={database}"), keys, 0, configure: null,
                mail: o => o.RateLimit = new SmtpRateLimitOptions { PermitLimit = Permits, Window = Window });
            var ids = await OutboxProofKit.QueueAsync(host, mails, cancellationToken, "PRAGMA journal_mode=WAL;").ConfigureAwait(false);
            log.WriteLine($"limits proof: {mails} mails queued in SQLite, limit {Permits} per {Window.TotalSeconds:0} s");
            var started = Stopwatch.GetTimestamp();
            var dispatchers = await OutboxProofKit.StartAsync(host, cancellationToken).ConfigureAwait(false);
            var outcome = await OutboxProofKit.DrainedAsync(host, cancellationToken).ConfigureAwait(false);
            var arrivals = server.Arrivals;
            var drain = (arrivals.Max() - started) / (double)Stopwatch.Frequency;
            foreach (var dispatcher in dispatchers)
            {
                await dispatcher.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }

            var pace = (double)mails / Permits * Window.TotalSeconds;
            var most = OutboxProofKit.MostPerWindow(arrivals, Window);
            var (delivered, lost, duplicates) = OutboxProofKit.Count(server, ids);
            var passed = outcome.Throttled == 0 && most <= Permits && drain <= pace * 1.05 && lost == 0 && duplicates == 0;
            log.WriteLine(
                $"  {(passed ? "PASS" : "FAIL")}: delivered {delivered}/{ids.Count}, lost {lost}, duplicates {duplicates}, throttled {outcome.Throttled}, retries {outcome.Retries}, "
                + $"most arrivals in any {Window.TotalSeconds:0} s {most} (limit {Permits}), drain {drain:0.0} s vs pace {pace:0.0} s ({drain / pace:0.000}), first to last arrival {OutboxProofKit.Span(arrivals):0.0} s");
            return passed ? 0 : 1;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }
}
