using SystemMail.Benchmarks.PerMail;
using SystemMail.Benchmarks.Throughput;

namespace SystemMail.Benchmarks;

/// <summary>The tables the run prints.</summary>
internal static class Report
{
    public static void WriteThroughput(TextWriter log, IReadOnlyList<NetworkResult> results)
    {
        log.WriteLine("| network | scenario | mails/s (median) | min | max | ms per mail | process CPU (cores) | machine CPU (cores) | rounds x mails |");
        log.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var result in results)
        {
            foreach (var scenario in Enum.GetValues<Scenario>())
            {
                var rates = result.Rates(scenario);
                var median = result.Median(scenario);
                log.WriteLine(
                    $"| {result.Name}{(result.MeasuredRoundTrip is { } rtt && result.Key != "loopback" ? $" (NOOP {rtt.TotalMilliseconds:0.0} ms)" : string.Empty)} " +
                    $"| {Title(scenario)} | {median:0.0} | {rates.Min():0.0} | {rates.Max():0.0} | {1000 / median:0.00} | {result.MedianCores(scenario):0.00} | {result.MedianMachineCores(scenario):0.00} | {rates.Count} x {result.Mails[scenario] / rates.Count} |");
            }
        }

        foreach (var result in results)
        {
            log.WriteLine(result.Transactions > 0
                ? $"pipelining ({result.Name}): the server read MAIL FROM and RCPT TO together in {result.PipelinedTransactions} of {result.Transactions} transactions"
                : $"pipelining ({result.Name}): offered by the server; how the commands arrived is not recorded there");
        }

        foreach (var result in results)
        {
            if (result.MedianBuildTime is { } build)
            {
                log.WriteLine(
                    $"building one message among the sends (row 1b, {result.Name}): {build.TotalMicroseconds:0.0} us a mail, median over the rounds " +
                    "(compare \"build MimeMessage\" in BenchmarkDotNet's tight loop below)");
            }
        }
    }

    public static void WritePerMail(TextWriter log, MicroResult micro)
    {
        log.WriteLine("| per mail (BenchmarkDotNet, MemoryDiagnoser) | mean | stddev | allocated |");
        log.WriteLine("|---|---:|---:|---:|");
        foreach (var row in micro.Rows())
        {
            log.WriteLine($"| {row.Name} | {row.MeanMicroseconds:0.0} us | {row.StdDevMicroseconds:0.0} us | {row.AllocatedBytes:N0} B |");
        }
    }

    public static void WriteRatios(TextWriter log, IReadOnlyList<Ratio> ratios)
    {
        log.WriteLine("| ratio (median over rounds of the per-round ratio) | value | target | met |");
        log.WriteLine("|---|---:|---:|---|");
        foreach (var ratio in ratios)
        {
            var target = ratio.Target is { } t ? $"{(ratio.HigherIsBetter ? ">=" : "<=")} {t:0.00}" : "(explains systemmail-vs-raw)";
            var met = ratio.Met switch { true => "yes", false => "no", null => string.Empty };
            log.WriteLine($"| {ratio.Name} | {ratio.Value:0.00} | {target} | {met} |");
        }
    }

    private static string Title(Scenario scenario) => scenario switch
    {
        Scenario.Raw => "1 raw MailKit, one kept connection, pre-built messages",
        Scenario.RawBuiltPerMail => "1b raw MailKit, one kept connection, message built per mail",
        Scenario.ConnectPerMessage => "2 connect, STARTTLS, AUTH, send, QUIT per mail",
        Scenario.Sequential => "3 ISystemMailer, sequential",
        _ => "4 ISystemMailer, concurrent callers",
    };
}
