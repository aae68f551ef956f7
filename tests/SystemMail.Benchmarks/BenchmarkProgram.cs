using System.Globalization;
using SystemMail.Benchmarks.Network;
using SystemMail.Benchmarks.Server;
using SystemMail.Benchmarks.Throughput;

namespace SystemMail.Benchmarks;

internal static class BenchmarkProgram
{
    public static async Task<int> RunAsync(string[] args)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var options = BenchmarkOptions.Parse(args);
        if (options.Serve)
        {
            return await PerMail.ServerProcess.ServeAsync();
        }

        var log = Console.Out;
        if (Environment.GetEnvironmentVariable("MICRO_ONLY") == "1")
        {
            var m = await PerMail.MicroRun.RunAsync(options.Quick, Path.Combine(AppContext.BaseDirectory, "bdn"), log, CancellationToken.None);
            foreach (var row in m.Rows()) log.WriteLine($"{row.Name,-45} {row.MeanMicroseconds,10:0.00} us {row.AllocatedBytes,10} B");
            return 0;
        }

        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(options.Quick ? 5 : 20));
        var ct = cancel.Token;

        log.WriteLine("server check: raw MailKit, one connection, SmtpServer stock vs TCP_NODELAY");
        var (stock, noDelay) = await ServerCheck.MeasureAsync(options.Quick ? 40 : 100, ct);
        log.WriteLine($"  stock {stock:0.0} mails/s, TCP_NODELAY {noDelay:0.0} mails/s");

        await using var server = await BenchmarkSmtpServer.StartAsync();
        var bare = new ThroughputRun(server, server.Endpoint, options.PoolSize, options.Callers, log);
        var bareResult = await bare.MeasureAsync("loopback", "loopback", options.Quick ? new ThroughputPlan(3, 300, 60, 300, 600) : new ThroughputPlan(5, 1500, 250, 1500, 3000), ct);

        await using var relay = new LatencyRelay(server.Endpoint, TimeSpan.FromMilliseconds(10));
        var far = new ThroughputRun(server, relay.Endpoint, options.PoolSize, options.Callers, log);
        var farResult = await far.MeasureAsync("20 ms round trip", "rtt20ms", options.Quick ? new ThroughputPlan(2, 30, 8, 30, 160) : new ThroughputPlan(3, 100, 25, 100, 600), ct);

        foreach (var result in new[] { bareResult, farResult })
        {
            foreach (var scenario in Enum.GetValues<Scenario>())
            {
                log.WriteLine($"{result.Name,-18} {ThroughputRun.Describe(scenario),-22} {result.Median(scenario),10:0.0}/s");
            }

            log.WriteLine($"pipelined {result.PipelinedTransactions}/{result.Transactions}");
            log.WriteLine($"ratio systemmail-vs-raw@{result.Key} = {result.Median(Scenario.Sequential) / result.Median(Scenario.Raw):0.00}");
            log.WriteLine($"ratio systemmail-vs-connect-per-message@{result.Key} = {result.Median(Scenario.Sequential) / result.Median(Scenario.ConnectPerMessage):0.00}");
            log.WriteLine($"ratio concurrent-vs-sequential@{result.Key} = {result.Median(Scenario.Concurrent) / result.Median(Scenario.Sequential):0.00}");
        }

        return 0;
    }
}
