using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace SystemMail.Benchmarks.PerMail;

/// <summary>Runs the per-mail BenchmarkDotNet benchmarks in this process, the server for the send benchmarks in a child process.</summary>
internal static class MicroRun
{
    public static async Task<MicroResult> RunAsync(bool quick, string artifacts, TextWriter log, CancellationToken cancellationToken)
    {
        var job = Job.Default
            .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(5), logOutput: true))
            .WithLaunchCount(1)
            .WithGcForce(false)
            .WithWarmupCount(quick ? 2 : 5)
            .WithIterationCount(quick ? 5 : 15)
            .WithId(quick ? "quick" : "standard");
        Directory.CreateDirectory(artifacts);
        var logPath = Path.Combine(artifacts, "benchmarkdotnet.log");
        await using var bdnLog = new StreamWriter(logPath);
        ManualConfig Config() => ManualConfig.CreateEmpty()
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddLogger(Environment.GetEnvironmentVariable("BDN_CONSOLE") == "1" ? ConsoleLogger.Default : new StreamLogger(bdnLog))
            .WithArtifactsPath(artifacts)
            .WithOption(ConfigOptions.DisableLogFile, true)
            .WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(40));

        log.WriteLine($"per-mail benchmarks (BenchmarkDotNet, in process; log in {logPath})");
        var templates = BenchmarkRunner.Run<TemplateBenchmarks>(Config().AddJob(Fixed(job, invocations: quick ? 2048 : 8192, unroll: 16)));
        Summary sends;
        await using (var server = await ServerProcess.StartAsync(cancellationToken).ConfigureAwait(false))
        {
            SendBenchmarks.Server = (server.Endpoint, server.Thumbprint);
            sends = BenchmarkRunner.Run<SendBenchmarks>(Config().AddJob(Fixed(job, invocations: quick ? 256 : 1024, unroll: 1)));
        }

        return new MicroResult(templates, sends);
    }

    /// <summary>
    /// A fixed number of calls per iteration instead of BenchmarkDotNet's pilot stage, which on a busy two-core
    /// machine can hunt for minutes; every iteration is still long enough (tens of milliseconds) to time well.
    /// </summary>
    private static Job Fixed(Job job, int invocations, int unroll) => job.WithInvocationCount(invocations).WithUnrollFactor(unroll);
}
