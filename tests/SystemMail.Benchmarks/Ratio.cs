namespace SystemMail.Benchmarks;

/// <summary>A ratio the run reports, with the target it is held to (none for a ratio shown only to explain another).</summary>
internal sealed record Ratio(string Name, double Value, double? Target, bool HigherIsBetter = true)
{
    public bool? Met => Target is not { } target ? null : HigherIsBetter ? Value >= target : Value <= target;
}
