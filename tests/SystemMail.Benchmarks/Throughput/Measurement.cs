namespace SystemMail.Benchmarks.Throughput;

/// <summary>One scenario's run in one round: its rate, and the cores the process and the whole machine kept busy.</summary>
internal readonly record struct Measurement(double MailsPerSecond, double ProcessCores, double MachineCores);
