using BenchmarkDotNet.Attributes;
using SystemMail.Benchmarks.Mail;

namespace SystemMail.Benchmarks.PerMail;

/// <summary>The CPU work SystemMail adds to every mail before MailKit sends it: rendering (templates cached) and building the message.</summary>
[MemoryDiagnoser]
public class TemplateBenchmarks
{
    private MailTemplateRenderer _renderer = null!;
    private RenderedMail _rendered = null!;

    [GlobalSetup]
    public void Setup()
    {
        _renderer = ActivationMail.CreateRenderer();
        // The first render parses and caches the templates; the benchmarks measure the cached path.
        _rendered = ActivationMail.Render(_renderer);
    }

    [Benchmark(Description = "render activation (templates cached)")]
    public object Render() => ActivationMail.Render(_renderer);

    /// <summary>Builds the message and disposes it, as the mailer does once it has been sent.</summary>
    [Benchmark(Description = "build MimeMessage")]
    public int Build()
    {
        using var message = ActivationMail.Build(_rendered);
        return message.Headers.Count;
    }
}
