using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using SystemMail.Benchmarks.Network;
using SystemMail.Benchmarks.OAuth2;
using SystemMail.Benchmarks.PerMail;
using SystemMail.Benchmarks.Server;
using SystemMail.Benchmarks.Throughput;

namespace SystemMail.Benchmarks;

/// <summary>
/// One run: the server check, the throughput scenarios on bare loopback and through a 20 ms relay, the OAuth2
/// token count, the per-mail BenchmarkDotNet benchmarks; then the tables and one line per ratio.
/// </summary>
internal static class BenchmarkProgram
{
    private const string TwentyMs = "20ms";
    private const string Loopback = "loopback";
    private const string Postfix = "postfix";

    public static async Task<int> RunAsync(string[] args)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
        if (args is ["--outbox-worker", var database, var port, var thumbprint, var keys])
        {
            return await Outbox.OutboxCrashProof.WorkAsync(database, int.Parse(port, CultureInfo.InvariantCulture), thumbprint, keys).ConfigureAwait(false);
        }

        if (args is ["--outbox-farm-worker", var connection, var farmPort, var farmThumbprint, var farmKeys, var index])
        {
            return await Outbox.OutboxFarmProof.WorkAsync(connection, int.Parse(farmPort, CultureInfo.InvariantCulture), farmThumbprint, farmKeys, int.Parse(index, CultureInfo.InvariantCulture)).ConfigureAwait(false);
        }

        var options = BenchmarkOptions.Parse(args);
        if (options.Serve)
        {
            return await ServerProcess.ServeAsync().ConfigureAwait(false);
        }

        var log = Console.Out;
        if (typeof(ISystemMailer).Assembly.GetCustomAttributes(typeof(DebuggableAttribute), false)
            .OfType<DebuggableAttribute>().Any(a => a.IsJITOptimizerDisabled))
        {
            await Console.Error.WriteLineAsync("SystemMail was built without optimizations: run the benchmarks with -c Release.").ConfigureAwait(false);
            return 2;
        }

        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(options.Quick ? 5 : 30));
        var ct = cancel.Token;
        if (options.Outbox)
        {
            return await Outbox.OutboxBenchmark.RunAsync(options.Quick, log, ct).ConfigureAwait(false);
        }

        if (options.OutboxCrash)
        {
            return await Outbox.OutboxCrashProof.RunAsync(5000, log, ct).ConfigureAwait(false);
        }

        if (options.OutboxLimits)
        {
            return await Outbox.OutboxLimitsProof.RunAsync(5000, log, ct).ConfigureAwait(false);
        }

        if (options.OutboxFarm)
        {
            return await Outbox.OutboxFarmProof.RunAsync(5000, log, ct).ConfigureAwait(false);
        }

        if (options.OutboxOutage)
        {
            return await Outbox.OutboxOutageProof.RunAsync(5000, log, ct).ConfigureAwait(false);
        }

        var started = Stopwatch.GetTimestamp();
        var loadAtStart = LoadAverage();
        log.WriteLine($"SystemMail benchmarks ({(options.Quick ? "--quick" : "standard")}): {Machine()}");
        log.WriteLine($"load average at start: {loadAtStart}");

        if (options.Throughput && options.Postfix && PostfixServer.Unavailable() is { } missing)
        {
            await Console.Error.WriteLineAsync($"Cannot run the Postfix scenario: {missing}. Pass --no-postfix to leave it out.").ConfigureAwait(false);
            return 2;
        }

        var networks = new List<NetworkResult>();
        (double Stock, double NoDelay)? check = null;
        if (options.Throughput)
        {
            log.WriteLine("[1/4] server check: raw MailKit on one connection, SmtpServer's stock listener against TCP_NODELAY");
            check = await ServerCheck.MeasureAsync(options.Quick ? 40 : 100, ct).ConfigureAwait(false);
            log.WriteLine($"  stock {check.Value.Stock:0.0} mails/s, TCP_NODELAY {check.Value.NoDelay:0.0} mails/s");

            log.WriteLine($"[2/4] throughput: pool size {options.PoolSize}, {options.Callers} concurrent callers");
            await using var server = await BenchmarkSmtpServer.StartAsync().ConfigureAwait(false);
            networks.Add(await new ThroughputRun(server, server.Endpoint, options.PoolSize, options.Callers, log)
                .MeasureAsync("loopback", Loopback, new ThroughputPlan(3, 3000, 40, 3000, 4000), options.Quick ? new ThroughputPlan(7, 300, 40, 300, 600) : new ThroughputPlan(15, 600, 80, 600, 1200), ct)
                .ConfigureAwait(false));
            if (options.Postfix)
            {
                log.WriteLine("  the same scenarios against Postfix, a real mail server, on 127.0.0.1");
                await using var postfix = await PostfixServer.StartAsync(ct).ConfigureAwait(false);
                networks.Add(await new ThroughputRun(postfix, postfix.Endpoint, options.PoolSize, options.Callers, log)
                    .MeasureAsync("postfix", Postfix, new ThroughputPlan(3, 600, 20, 600, 1200), options.Quick ? new ThroughputPlan(7, 300, 20, 300, 600) : new ThroughputPlan(15, 600, 40, 600, 1200), ct)
                    .ConfigureAwait(false));
            }

            await using var relay = new LatencyRelay(server.Endpoint, TimeSpan.FromMilliseconds(10));
            networks.Add(await new ThroughputRun(server, relay.Endpoint, options.PoolSize, options.Callers, log)
                .MeasureAsync("20 ms round trip", TwentyMs, new ThroughputPlan(1, 5, 2, 5, 64), options.Quick ? new ThroughputPlan(2, 30, 8, 30, 200) : new ThroughputPlan(4, 80, 20, 80, 480), ct)
                .ConfigureAwait(false));
        }

        TokenLifetimeResult? oauth2 = null;
        GraphTokenLifetimeResult? graph = null;
        if (options.OAuth2)
        {
            log.WriteLine("[3/4] OAuth2: 10,000 mails inside one access-token lifetime, over SMTP and over Microsoft Graph");
            oauth2 = await TokenLifetimeRun.RunAsync(10_000, options.PoolSize, options.Callers, log, ct).ConfigureAwait(false);
            graph = await GraphTokenLifetimeRun.RunAsync(10_000, options.PoolSize, options.Callers, log, ct).ConfigureAwait(false);
        }

        MicroResult? micro = null;
        if (options.Micro)
        {
            log.WriteLine("[4/4] per mail: BenchmarkDotNet with MemoryDiagnoser");
            micro = await MicroRun.RunAsync(options.Quick, Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"), log, ct).ConfigureAwait(false);
        }

        var ratios = new List<Ratio>();
        foreach (var result in networks)
        {
            var twenty = result.Key == TwentyMs;
            // Postfix also answers on bare loopback: the same targets as the in-process server.
            ratios.Add(new Ratio($"systemmail-vs-raw@{result.Key}", result.Ratio(Scenario.Sequential, Scenario.Raw), 0.90));
            ratios.Add(new Ratio($"systemmail-vs-raw-built-per-mail@{result.Key}", result.Ratio(Scenario.Sequential, Scenario.RawBuiltPerMail), null));
            // Raw MailKit itself, building each message as any real sender must (1b over 1): the bound of the first ratio.
            ratios.Add(new Ratio($"raw-built-per-mail-vs-raw@{result.Key}", result.Ratio(Scenario.RawBuiltPerMail, Scenario.Raw), null));
            ratios.Add(new Ratio($"systemmail-vs-connect-per-message@{result.Key}", result.Ratio(Scenario.Sequential, Scenario.ConnectPerMessage), twenty ? 4 : 2));
            ratios.Add(new Ratio($"concurrent-vs-sequential@{result.Key}", result.Ratio(Scenario.Concurrent, Scenario.Sequential), twenty ? 3 : 1.3));
        }

        if (micro is not null)
        {
            ratios.Add(new Ratio(
                "allocated-systemmail-vs-raw",
                (double)micro.AllocatedBytes(nameof(SendBenchmarks.SystemMail)) / micro.AllocatedBytes(nameof(SendBenchmarks.RawBuildAndSend)),
                1.3,
                HigherIsBetter: false));
        }

        log.WriteLine();
        log.WriteLine($"== Results: {Machine()}");
        log.WriteLine($"load average: {loadAtStart} at start, {LoadAverage()} at end; run took {Stopwatch.GetElapsedTime(started).TotalSeconds:0} s");
        if (check is { } stockAndFixed && networks.Count > 0)
        {
            log.WriteLine(
                $"server: {networks[0].Server} on 127.0.0.1, STARTTLS ({networks[0].TlsProtocol}), AUTH PLAIN, PIPELINING and SIZE offered; " +
                $"its stock listener {stockAndFixed.Stock:0.0} mails/s, with TCP_NODELAY {stockAndFixed.NoDelay:0.0} mails/s (raw MailKit, one connection); " +
                "the 20 ms relay forwards to it");
            if (networks.FirstOrDefault(n => n.Key == Postfix) is { } postfixResult)
            {
                log.WriteLine(
                    $"server \"postfix\": {postfixResult.Server}, STARTTLS ({postfixResult.TlsProtocol}), AUTH PLAIN/LOGIN through Cyrus SASL, PIPELINING offered; " +
                    "its process CPU column counts the client alone");
            }

            log.WriteLine($"mail: English activation mail, {networks[0].MessageBytes} bytes on the wire; SystemMail pool size {options.PoolSize}, {options.Callers} concurrent callers");
            log.WriteLine();
            Report.WriteThroughput(log, networks);
            log.WriteLine();
        }
        if (micro is not null)
        {
            Report.WritePerMail(log, micro);
            log.WriteLine();
        }

        if (oauth2 is not null)
        {
            log.WriteLine(
                $"OAuth2 (XOAUTH2): {oauth2.Mails} mails inside one {oauth2.TokenLifetime.TotalHours:0} h access-token lifetime, " +
                $"pool size {options.PoolSize}: {oauth2.TokenRequests} token request(s) in all (the code exchange of \"Generate access token\"), " +
                $"{oauth2.XOAuth2Logins} XOAUTH2 logins, {oauth2.Introspections} token checks by the server; {oauth2.Mails / oauth2.Elapsed.TotalSeconds:0} mails/s to the Node.js test server");
            log.WriteLine();
        }

        if (graph is not null)
        {
            log.WriteLine(
                $"OAuth2 (Microsoft Graph, client credentials): {graph.Mails} mails inside one {graph.TokenLifetime.TotalHours:0} h access-token lifetime, " +
                $"pool size {options.PoolSize}: {graph.TokenRequests} token request(s) in all, {graph.GraphRequests} sendMail requests; " +
                $"{graph.Mails / graph.Elapsed.TotalSeconds:0} mails/s to the test Graph endpoint");
            log.WriteLine();
        }

        Report.WriteRatios(log, ratios);
        log.WriteLine();
        foreach (var ratio in ratios)
        {
            log.WriteLine($"ratio {ratio.Name} = {ratio.Value:0.00}");
        }

        return 0;
    }

    private static string Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"{Environment.ProcessorCount} cores{(cpu is null ? string.Empty : $" ({cpu})")}, {RuntimeInformation.OSDescription}, .NET {Environment.Version}";
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
