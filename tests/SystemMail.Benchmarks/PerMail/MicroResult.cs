using BenchmarkDotNet.Reports;

namespace SystemMail.Benchmarks.PerMail;

/// <summary>The two BenchmarkDotNet summaries and the figures read from them.</summary>
internal sealed class MicroResult(Summary templates, Summary sends)
{
    public Summary Templates { get; } = templates;

    public Summary Sends { get; } = sends;

    public IEnumerable<(string Name, double MeanMicroseconds, double StdDevMicroseconds, long AllocatedBytes)> Rows() =>
        Templates.Reports.Concat(Sends.Reports).Select(r => (
            r.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo.Trim('\''),
            (r.ResultStatistics?.Mean ?? double.NaN) / 1000,
            (r.ResultStatistics?.StandardDeviation ?? double.NaN) / 1000,
            r.GcStats.GetBytesAllocatedPerOperation(r.BenchmarkCase) ?? -1));

    public long AllocatedBytes(string method) =>
        Sends.Reports.Concat(Templates.Reports)
            .Where(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method)
            .Select(r => r.GcStats.GetBytesAllocatedPerOperation(r.BenchmarkCase) ?? -1)
            .Single();
}
