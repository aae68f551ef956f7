using System.Diagnostics;
using System.Net;
using MailKit.Net.Smtp;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using SystemMail.Benchmarks.Mail;
using SystemMail.Benchmarks.Server;

namespace SystemMail.Benchmarks.Throughput;

/// <summary>Sends the activation mail in every scenario through one endpoint (the server, or the relay before it).</summary>
internal sealed class ThroughputRun
{
    private static readonly MailTemplateRenderer Renderer = ActivationMail.CreateRenderer();
    private readonly IBenchmarkServer _server;
    private readonly IPEndPoint _endpoint;
    private readonly int _poolSize;
    private readonly int _callers;
    private readonly TextWriter _log;

    public ThroughputRun(IBenchmarkServer server, IPEndPoint endpoint, int poolSize, int callers, TextWriter log)
    {
        _server = server;
        _endpoint = endpoint;
        _poolSize = poolSize;
        _callers = callers;
        _log = log;
    }

    /// <summary>Warms every scenario up (JIT tiers, pool, TLS session state), then runs the rounds; each round runs every scenario once.</summary>
    public async Task<NetworkResult> MeasureAsync(string name, string key, ThroughputPlan warmupPlan, ThroughputPlan plan, CancellationToken cancellationToken)
    {
        await using var mailerServices = ActivationMail.CreateMailer(_endpoint.Address.ToString(), _endpoint.Port, _server.Pin(), _poolSize);
        var mailer = mailerServices.GetRequiredService<ISystemMailer>();
        using var raw = await RawMailKit.ConnectAsync(_endpoint, _server.Pin(), cancellationToken).ConfigureAwait(false);
        if (!raw.Capabilities.HasFlag(SmtpCapabilities.Pipelining))
        {
            throw new InvalidOperationException("The server does not offer PIPELINING.");
        }

        var roundTrip = await MeasureRoundTripAsync(raw, cancellationToken).ConfigureAwait(false);
        var result = new NetworkResult(name, key, roundTrip)
        {
            TlsProtocol = raw.SslProtocol.ToString().Replace("Tls", "TLS ", StringComparison.Ordinal).Replace("TLS 1", "TLS 1.", StringComparison.Ordinal),
            MessageBytes = MessageSize(PreBuild(1)[0]),
        };

        _log.WriteLine($"  {name}: NOOP round trip {roundTrip.TotalMilliseconds:0.00} ms; warming up");
        var warmup = new NetworkResult(name, key, roundTrip);
        for (var round = 0; round < warmupPlan.Rounds; round++)
        {
            await RoundAsync(warmupPlan, round, raw, mailer, warmup, cancellationToken).ConfigureAwait(false);
        }

        _server.Probe?.Reset();
        for (var round = 1; round <= plan.Rounds; round++)
        {
            await RoundAsync(plan, round, raw, mailer, result, cancellationToken).ConfigureAwait(false);
            _log.WriteLine(
                $"  {name}: round {round}/{plan.Rounds}: " +
                string.Join(", ", Enum.GetValues<Scenario>().Select(s => $"{Describe(s)} {result.Rates(s)[^1]:0.0}/s")));
        }

        result.Server = _server.Description;
        if (_server.Probe is { } probe)
        {
            result.Transactions = probe.Transactions;
            result.PipelinedTransactions = probe.Pipelined;
        }
        foreach (var scenario in Enum.GetValues<Scenario>())
        {
            result.Mails[scenario] = plan.MailsFor(scenario) * plan.Rounds;
        }

        await raw.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
        return result;
    }

    private static long MessageSize(MimeMessage message)
    {
        using var measure = new MimeKit.IO.MeasuringStream();
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        message.WriteTo(format, measure);
        return measure.Length;
    }

    public static string Describe(Scenario scenario) => scenario switch
    {
        Scenario.Raw => "raw",
        Scenario.RawBuiltPerMail => "raw-built-per-mail",
        Scenario.ConnectPerMessage => "connect-per-message",
        Scenario.Sequential => "systemmail",
        _ => "concurrent",
    };

    private static async Task<TimeSpan> MeasureRoundTripAsync(SmtpClient client, CancellationToken cancellationToken)
    {
        var samples = new List<TimeSpan>();
        for (var i = 0; i < 15; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await client.NoOpAsync(cancellationToken).ConfigureAwait(false);
            samples.Add(Stopwatch.GetElapsedTime(started));
        }

        samples.Sort();
        return samples[samples.Count / 2];
    }

    /// <summary>
    /// Runs each scenario once, starting with a different one every round, so no scenario always follows the
    /// garbage or the connections another leaves behind.
    /// </summary>
    private async Task RoundAsync(ThroughputPlan plan, int round, SmtpClient raw, ISystemMailer mailer, NetworkResult result, CancellationToken cancellationToken)
    {
        var scenarios = Enum.GetValues<Scenario>();
        for (var i = 0; i < scenarios.Length; i++)
        {
            var scenario = scenarios[(round + i) % scenarios.Length];
            var mails = plan.MailsFor(scenario);
            // The ceiling's messages are built before the clock starts, and each is sent once: sending the same
            // MimeMessage again is faster still, but no real sender does that.
            var prebuilt = scenario is Scenario.Raw or Scenario.ConnectPerMessage ? PreBuild(mails) : [];

            // Each scenario starts on a collected heap: no scenario pays for the garbage of the one before it.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            result.Add(scenario, await TimeAsync(mails, scenario switch
            {
                Scenario.Raw => () => RawAsync(raw, prebuilt, cancellationToken),
                Scenario.RawBuiltPerMail => () => RawBuiltPerMailAsync(raw, mails, result, cancellationToken),
                Scenario.ConnectPerMessage => () => ConnectPerMessageAsync(prebuilt, cancellationToken),
                Scenario.Sequential => () => SequentialAsync(mailer, mails, cancellationToken),
                _ => () => ConcurrentAsync(mailer, mails, cancellationToken),
            }).ConfigureAwait(false));
            foreach (var message in prebuilt)
            {
                message.Dispose();
            }
        }
    }

    private static MimeMessage[] PreBuild(int count)
    {
        var rendered = ActivationMail.Render(Renderer);
        return Enumerable.Range(0, count).Select(_ => ActivationMail.Build(rendered)).ToArray();
    }

    /// <summary>
    /// Times one scenario and checks at the server that every mail arrived; also measures how many cores the process
    /// (client, and the in-process server and relay) and the whole machine (Postfix too) kept busy meanwhile.
    /// </summary>
    private async Task<Measurement> TimeAsync(int mails, Func<Task> send)
    {
        var before = await _server.CountReceivedAsync(0).ConfigureAwait(false);
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var machine = MachineCpu.Busy();
        var started = Stopwatch.GetTimestamp();
        await send().ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var machineBusy = MachineCpu.Busy() - machine;
        self.Refresh();
        var busy = self.TotalProcessorTime - cpu;
        var arrived = await _server.CountReceivedAsync(before + mails).ConfigureAwait(false) - before;
        if (arrived != mails)
        {
            throw new InvalidOperationException($"{mails} mails were sent but the server received {arrived}.");
        }

        return new Measurement(mails / elapsed.TotalSeconds, busy / elapsed, machineBusy / elapsed);
    }

    private static async Task RawAsync(SmtpClient client, MimeMessage[] messages, CancellationToken cancellationToken)
    {
        foreach (var message in messages)
        {
            await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Builds each message just before sending it, and times the building alone: among the sends it costs several
    /// times what it costs in BenchmarkDotNet's tight loop, which is what row 1b shows.
    /// </summary>
    private static async Task RawBuiltPerMailAsync(SmtpClient client, int count, NetworkResult result, CancellationToken cancellationToken)
    {
        var rendered = ActivationMail.Render(Renderer);
        var building = 0L;
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var message = ActivationMail.Build(rendered);
            building += Stopwatch.GetTimestamp() - started;
            await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }

        result.AddBuildTime(Stopwatch.GetElapsedTime(0, building) / count);
    }

    private async Task ConnectPerMessageAsync(MimeMessage[] messages, CancellationToken cancellationToken)
    {
        foreach (var message in messages)
        {
            using var client = await RawMailKit.ConnectAsync(_endpoint, _server.Pin(), cancellationToken).ConfigureAwait(false);
            await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
            await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task SequentialAsync(ISystemMailer mailer, int count, CancellationToken cancellationToken)
    {
        for (var i = 0; i < count; i++)
        {
            await mailer.SendActivationAsync(ActivationMail.Recipient, ActivationMail.Link, ActivationMail.Lifetime, ActivationMail.Culture, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task ConcurrentAsync(ISystemMailer mailer, int count, CancellationToken cancellationToken) =>
        ActivationMail.SendConcurrentlyAsync(mailer, count, _callers, cancellationToken);
}
