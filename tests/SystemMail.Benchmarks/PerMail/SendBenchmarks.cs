using System.Net;
using BenchmarkDotNet.Attributes;
using MailKit.Net.Smtp;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using SystemMail.Benchmarks.Mail;
using SystemMail.Benchmarks.Server;

namespace SystemMail.Benchmarks.PerMail;

/// <summary>
/// One mail sent over a kept, authenticated connection: raw MailKit against SystemMail. The server runs in another
/// process, so the allocations counted here are the client's alone.
/// </summary>
[MemoryDiagnoser]
public class SendBenchmarks
{
    private SmtpClient _raw = null!;
    private ServiceProvider _services = null!;
    private ISystemMailer _mailer = null!;
    private RenderedMail _rendered = null!;
    private MimeMessage _prebuilt = null!;

    /// <summary>Gets or sets the out-of-process server the benchmarks send to; set before BenchmarkDotNet runs them.</summary>
    internal static (IPEndPoint Endpoint, string Thumbprint)? Server { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var (endpoint, thumbprint) = Server ?? throw new InvalidOperationException("No server for the send benchmarks.");
        _rendered = ActivationMail.Render(ActivationMail.CreateRenderer());
        _prebuilt = ActivationMail.Build(_rendered);
        _raw = RawMailKit.ConnectAsync(endpoint, ServerCertificate.Pin(thumbprint)).GetAwaiter().GetResult();
        _services = ActivationMail.CreateMailer(endpoint.Address.ToString(), endpoint.Port, ServerCertificate.Pin(thumbprint), poolSize: 1);
        _mailer = _services.GetRequiredService<ISystemMailer>();
        _mailer.SendActivationAsync(ActivationMail.Recipient, ActivationMail.Link, ActivationMail.Lifetime, ActivationMail.Culture).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _raw.Disconnect(quit: true);
        _raw.Dispose();
        _services.Dispose();
    }

    [Benchmark(Description = "raw MailKit: send pre-built message")]
    public Task<string> RawPrebuilt() => _raw.SendAsync(_prebuilt);

    [Benchmark(Baseline = true, Description = "raw MailKit: build + send same message")]
    public async Task<string> RawBuildAndSend()
    {
        using var message = ActivationMail.Build(_rendered);
        return await _raw.SendAsync(message).ConfigureAwait(false);
    }

    [Benchmark(Description = "SystemMail: SendActivationAsync")]
    public Task<SentMail> SystemMail() =>
        _mailer.SendActivationAsync(ActivationMail.Recipient, ActivationMail.Link, ActivationMail.Lifetime, ActivationMail.Culture);
}
