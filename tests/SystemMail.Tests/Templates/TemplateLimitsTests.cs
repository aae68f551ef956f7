using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace SystemMail.Tests.Templates;

/// <summary>A host's template runs on every mail: one that would loop without end stops at once, named.</summary>
public sealed class TemplateLimitsTests
{
    private const string NestedLoop = "{% for i in (1..4000) %}{% for j in (1..4000) %}{% endfor %}{% endfor %}";

    private static readonly Dictionary<string, string> Values = new()
    {
        ["product_name"] = "Acme IoT",
        ["product_url"] = "",
        ["support_address"] = "",
        ["recipient"] = "user@acme.test",
        ["link"] = "https://app.acme.test/activate?token=a",
        ["lifetime"] = "24 hours",
        ["lifetime_minutes"] = "1440",
    };

    [Fact]
    public void Render_HostTemplateWithEndlessLoop_FailsFastNamingTheTemplate()
    {
        var options = new MailTemplateOptions();
        // Sixteen million turns of a loop in a loop: without a step limit, seconds of a core for each mail.
        options.Overrides[(SystemMailKind.Activation, "")] = new MailTemplate { Html = NestedLoop + "<p>{{ link }}</p>" };
        var renderer = new MailTemplateRenderer(Options.Create(options));
        var watch = Stopwatch.StartNew();

        var failure = Assert.Throws<SystemMailException>(() => renderer.Render(SystemMailKind.Activation, CultureInfo.GetCultureInfo("en"), Values));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"The template ran for {watch.Elapsed} before it was stopped.");
        Assert.Equal(SystemMailErrorKind.Configuration, failure.Kind);
        Assert.Equal(nameof(Hints.MailTemplateFailed), failure.HintId);
        Assert.Contains("Activation mail's HTML template (en)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("100000 steps", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_HostTemplateWithEndlessLoop_LeavesOtherMailsAlone()
    {
        var options = new MailTemplateOptions();
        options.Overrides[(SystemMailKind.Activation, "")] = new MailTemplate { Subject = NestedLoop + "Welcome" };
        var renderer = new MailTemplateRenderer(Options.Create(options));
        Assert.Throws<SystemMailException>(() => renderer.Render(SystemMailKind.Activation, CultureInfo.GetCultureInfo("en"), Values));

        var mail = renderer.Render(SystemMailKind.PasswordReset, CultureInfo.GetCultureInfo("en"), Values);

        Assert.Equal("Reset your Acme IoT password", mail.Subject);
    }
}
