using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SystemMail.Benchmarks.Server;
using SystemMail.EntityFrameworkCore.Tests.Infrastructure;

namespace SystemMail.Benchmarks.Outbox;

/// <summary>
/// The farm proof (<c>--outbox-farm</c>): 5,000 mails queued in one PostgreSQL database, drained by three dispatcher
/// processes (this program with <c>--outbox-farm-worker</c>) under a limit of L per window for all of them together.
/// The server counts every Message-Id and arrival: none twice, none lost, never more than L in any window.
/// </summary>
internal static class OutboxFarmProof
{
    private const int Instances = 3;

    public static async Task<int> RunAsync(int mails, TextWriter log, CancellationToken cancellationToken)
    {
        await using var server = await BenchmarkSmtpServer.StartAsync().ConfigureAwait(false);
        await using var postgres = await PostgreSqlTestServer.StartAsync(cancellationToken).ConfigureAwait(false);
        var connection = await postgres.CreateDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var keys = Directory.CreateTempSubdirectory("systemmail-farm-keys-");
        var workers = new List<Process>();
        try
        {
            List<string> ids;
            await using (var host = Host(connection, server.Host, server.Port, server.Pin(), keys.FullName, 0))
            {
                ids = await OutboxProofKit.QueueAsync(host, mails, cancellationToken).ConfigureAwait(false);
            }

            log.WriteLine($"farm proof: {mails} mails queued in PostgreSQL, {Instances} dispatcher processes, limit {OutboxLimitsProof.Permits} per {OutboxLimitsProof.Window.TotalSeconds:0} s");
            var started = Stopwatch.GetTimestamp();
            for (var i = 1; i <= Instances; i++)
            {
                workers.Add(StartWorker(connection, server, keys.FullName, i));
            }

            OutboxProofKit.Outcome outcome;
            await using (var watch = Host(connection, server.Host, server.Port, server.Pin(), keys.FullName, 0))
            {
                outcome = await OutboxProofKit.DrainedAsync(watch, cancellationToken).ConfigureAwait(false);
            }

            var arrivals = server.Arrivals;
            var drain = (arrivals.Max() - started) / (double)Stopwatch.Frequency;
            var exited = workers.Count(w => w.HasExited);
            var most = OutboxProofKit.MostPerWindow(arrivals, OutboxLimitsProof.Window);
            var (delivered, lost, duplicates) = OutboxProofKit.Count(server, ids);
            var passed = lost == 0 && duplicates == 0 && most <= OutboxLimitsProof.Permits && outcome.DeadLettered == 0 && exited == 0;
            log.WriteLine(
                $"  {(passed ? "PASS" : "FAIL")}: delivered {delivered}/{ids.Count}, lost {lost}, duplicates {duplicates} (received {server.Received}), dead-lettered {outcome.DeadLettered}, "
                + $"throttled {outcome.Throttled}, retries {outcome.Retries}, most arrivals in any {OutboxLimitsProof.Window.TotalSeconds:0} s {most} (limit {OutboxLimitsProof.Permits}), "
                + $"drain {drain:0.0} s vs pace {(double)mails / OutboxLimitsProof.Permits * OutboxLimitsProof.Window.TotalSeconds:0.0} s, workers exited early {exited}");
            return passed ? 0 : 1;
        }
        finally
        {
            foreach (var worker in workers)
            {
                if (!worker.HasExited)
                {
                    worker.Kill();
                    await worker.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                }

                worker.Dispose();
            }

            Npgsql.NpgsqlConnection.ClearAllPools();
            keys.Delete(recursive: true);
        }
    }

    /// <summary>A worker: runs the dispatcher until it is killed.</summary>
    public static async Task<int> WorkAsync(string connection, int port, string thumbprint, string keys, int index)
    {
        await using var host = Host(connection, "127.0.0.1", port, ServerCertificate.Pin(thumbprint), keys, index);
        foreach (var service in host.GetServices<IHostedService>())
        {
            await service.StartAsync(CancellationToken.None).ConfigureAwait(false);
        }

        await Task.Delay(Timeout.Infinite).ConfigureAwait(false);
        return 0;
    }

    private static ServiceProvider Host(string connection, string host, int port, System.Net.Security.RemoteCertificateValidationCallback pin, string keys, int index) =>
        OutboxBenchmark.CreateHost(
            host, port, pin, o => o.UseNpgsql(connection), keys, index, configure: null,
            mail: o => o.RateLimit = new SmtpRateLimitOptions { PermitLimit = OutboxLimitsProof.Permits, Window = OutboxLimitsProof.Window });

    private static Process StartWorker(string connection, BenchmarkSmtpServer server, string keys, int index)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            start.ArgumentList.Add(typeof(OutboxFarmProof).Assembly.Location);
        }

        foreach (var argument in new[] { "--outbox-farm-worker", connection, server.Port.ToString(CultureInfo.InvariantCulture), server.Certificate.Sha256Thumbprint, keys, index.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("The worker did not start.");
    }
}
