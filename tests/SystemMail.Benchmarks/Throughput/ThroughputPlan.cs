namespace SystemMail.Benchmarks.Throughput;

/// <summary>How many mails each scenario sends per round, and how many rounds; the median round counts.</summary>
internal sealed record ThroughputPlan(int Rounds, int Raw, int ConnectPerMessage, int Sequential, int Concurrent)
{
    public int MailsFor(Scenario scenario) => scenario switch
    {
        Scenario.Raw => Raw,
        Scenario.ConnectPerMessage => ConnectPerMessage,
        Scenario.Sequential => Sequential,
        _ => Concurrent,
    };

    public ThroughputPlan Warmup() => new(1, Math.Max(5, Raw / 4), Math.Max(3, ConnectPerMessage / 4), Math.Max(5, Sequential / 4), Math.Max(32, Concurrent / 4));
}
