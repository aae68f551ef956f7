namespace SystemMail.Benchmarks.Throughput;

/// <summary>The rates one network measured: mails per second for every round of every scenario.</summary>
internal sealed class NetworkResult(string name, string key, TimeSpan? measuredRoundTrip)
{
    private readonly Dictionary<Scenario, List<double>> _rates = [];

    /// <summary>Gets the network's display name.</summary>
    public string Name { get; } = name;

    /// <summary>Gets the suffix of its ratio names.</summary>
    public string Key { get; } = key;

    /// <summary>Gets the median NOOP round trip through the relay, when there is one.</summary>
    public TimeSpan? MeasuredRoundTrip { get; } = measuredRoundTrip;

    public Dictionary<Scenario, int> Mails { get; } = [];

    /// <summary>Gets or sets what the server is.</summary>
    public string Server { get; set; } = string.Empty;

    public long PipelinedTransactions { get; set; }

    /// <summary>Gets or sets the TLS version the raw client negotiated.</summary>
    public string TlsProtocol { get; set; } = string.Empty;

    /// <summary>Gets or sets the size of the mail as sent, in bytes.</summary>
    public long MessageBytes { get; set; }

    public long Transactions { get; set; }

    private readonly Dictionary<Scenario, List<double>> _cores = [];

    private readonly Dictionary<Scenario, List<double>> _machineCores = [];

    private readonly List<TimeSpan> _buildTimes = [];

    /// <summary>Records how long building one message took, on average, among the sends of one round of row 1b.</summary>
    public void AddBuildTime(TimeSpan perMail) => _buildTimes.Add(perMail);

    /// <summary>Gets the median over the rounds of the time building one message took among the sends (row 1b).</summary>
    public TimeSpan? MedianBuildTime => _buildTimes.Count == 0 ? null : _buildTimes.Order().ElementAt(_buildTimes.Count / 2);

    public void Add(Scenario scenario, Measurement measured)
    {
        if (!_rates.TryGetValue(scenario, out var list))
        {
            _rates[scenario] = list = [];
            _cores[scenario] = [];
            _machineCores[scenario] = [];
        }

        list.Add(measured.MailsPerSecond);
        _cores[scenario].Add(measured.ProcessCores);
        _machineCores[scenario].Add(measured.MachineCores);
    }

    /// <summary>Gets the median number of cores the process kept busy during the scenario.</summary>
    public double MedianCores(Scenario scenario) => MedianOf(_cores.TryGetValue(scenario, out var list) ? list : []);

    /// <summary>Gets the median number of cores the whole machine kept busy during the scenario (NaN where /proc/stat is missing).</summary>
    public double MedianMachineCores(Scenario scenario) => MedianOf(_machineCores.TryGetValue(scenario, out var list) ? list : []);

    public IReadOnlyList<double> Rates(Scenario scenario) => _rates.TryGetValue(scenario, out var list) ? list : [];

    public double Median(Scenario scenario) => MedianOf(Rates(scenario));

    /// <summary>
    /// Gets the median over the rounds of one scenario's rate over another's. Both ran in the same round, seconds
    /// apart, so a load that comes and goes on the machine touches both alike.
    /// </summary>
    public double Ratio(Scenario numerator, Scenario denominator) =>
        MedianOf(Rates(numerator).Zip(Rates(denominator), (n, d) => n / d).ToArray());

    private static double MedianOf(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
