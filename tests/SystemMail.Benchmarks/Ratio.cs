namespace SystemMail.Benchmarks;

/// <summary>A ratio the run reports, with the target it is held to.</summary>
internal sealed record Ratio(string Name, double Value, double Target, bool HigherIsBetter = true)
{
    public bool Met => HigherIsBetter ? Value >= Target : Value <= Target;
}
