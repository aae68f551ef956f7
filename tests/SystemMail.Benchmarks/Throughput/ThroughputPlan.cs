namespace SystemMail.Benchmarks.Throughput;

/// <summary>How many mails each scenario sends per round, and how many rounds; the median round counts.</summary>
internal sealed record ThroughputPlan(int Rounds, int Raw, int ConnectPerMessage, int Sequential, int Concurrent)
{
    public int MailsFor(Scenario scenario) => scenario switch
    {
        Scenario.Raw or Scenario.RawBuiltPerMail => Raw,
        Scenario.ConnectPerMessage => ConnectPerMessage,
        Scenario.Sequential => Sequential,
        _ => Concurrent,
    };
}
