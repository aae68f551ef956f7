using System.Globalization;

namespace SystemMail.Benchmarks;

/// <summary>The command line: <c>[--quick] [--pool-size N] [--callers N] [--no-throughput] [--no-postfix] [--no-oauth2] [--no-micro] [--outbox] [--outbox-crash] [--outbox-limits] [--outbox-farm] [--outbox-outage]</c>.</summary>
internal sealed record BenchmarkOptions
{
    public bool Quick { get; init; }

    /// <summary>Gets the <c>PoolSize</c> the SystemMail scenarios are configured with.</summary>
    public int PoolSize { get; init; } = 4;

    /// <summary>Gets how many callers send at once in the concurrent scenario.</summary>
    public int Callers { get; init; } = 16;

    public bool Micro { get; init; } = true;

    public bool OAuth2 { get; init; } = true;

    public bool Throughput { get; init; } = true;

    /// <summary>Gets whether the throughput scenarios also run against a private Postfix instance (needs Postfix and root).</summary>
    public bool Postfix { get; init; } = true;

    /// <summary>Gets whether this process is the out-of-process server for the allocation benchmarks.</summary>
    public bool Serve { get; init; }

    /// <summary>Gets whether to run only the outbox scenario (queueing and draining through SQLite and PostgreSQL).</summary>
    public bool Outbox { get; init; }

    /// <summary>Gets whether to run only the outbox's crash proof (a worker process killed twice during a drain).</summary>
    public bool OutboxCrash { get; init; }

    /// <summary>Gets whether to run only the outbox's limits proof (5,000 mails under a scaled provider limit).</summary>
    public bool OutboxLimits { get; init; }

    /// <summary>Gets whether to run only the outbox's farm proof (three dispatcher processes over one PostgreSQL).</summary>
    public bool OutboxFarm { get; init; }

    /// <summary>Gets whether to run only the outbox's outage proof (the SMTP server down in the middle of a drain).</summary>
    public bool OutboxOutage { get; init; }

    public static BenchmarkOptions Parse(string[] args)
    {
        var options = new BenchmarkOptions();
        for (var i = 0; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "--quick" => options with { Quick = true },
                "--pool-size" => options with { PoolSize = Number(args, ++i) },
                "--callers" => options with { Callers = Number(args, ++i) },
                "--no-micro" => options with { Micro = false },
                "--no-oauth2" => options with { OAuth2 = false },
                "--no-throughput" => options with { Throughput = false },
                "--no-postfix" => options with { Postfix = false },
                "--serve" => options with { Serve = true },
                "--outbox" => options with { Outbox = true },
                "--outbox-crash" => options with { OutboxCrash = true },
                "--outbox-limits" => options with { OutboxLimits = true },
                "--outbox-farm" => options with { OutboxFarm = true },
                "--outbox-outage" => options with { OutboxOutage = true },
                _ => throw new ArgumentException($"Unknown argument '{args[i]}'. Use: [--quick] [--pool-size N] [--callers N] [--no-throughput] [--no-postfix] [--no-oauth2] [--no-micro] [--outbox] [--outbox-crash] [--outbox-limits] [--outbox-farm] [--outbox-outage]"),
            };
        }

        return options;
    }

    private static int Number(string[] args, int index) =>
        index < args.Length && int.TryParse(args[index], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"'{args[index - 1]}' needs a positive number.");
}
