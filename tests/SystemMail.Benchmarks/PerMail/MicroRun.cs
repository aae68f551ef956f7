using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using Perfolizer.Horology;
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
            .WithToolchain(InProcessEmitToolchain.DontLogOutput)
            .WithLaunchCount(1)
            .WithWarmupCount(quick ? 2 : 5)
            .WithIterationCount(quick ? 5 : 15)
            .WithIterationTime(TimeInterval.FromMilliseconds(quick ? 100 : 250))
            .WithId(quick ? "quick" : "standard");
        Directory.CreateDirectory(artifacts);
        var logPath = Path.Combine(artifacts, "benchmarkdotnet.log");
        await using var bdnLog = new StreamWriter(logPath);
        var config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddLogger(new StreamLogger(bdnLog))
            .WithArtifactsPath(artifacts)
            .WithOption(ConfigOptions.DisableLogFile, true)
            .WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(40));

        log.WriteLine($"per-mail benchmarks (BenchmarkDotNet, in process; log in {logPath})");
        var templates = BenchmarkRunner.Run<TemplateBenchmarks>(config);
        Summary sends;
        await using (var server = await ServerProcess.StartAsync(cancellationToken).ConfigureAwait(false))
        {
            SendBenchmarks.Server = (server.Endpoint, server.Thumbprint);
            sends = BenchmarkRunner.Run<SendBenchmarks>(config);
        }

        return new MicroResult(templates, sends);
    }
}
