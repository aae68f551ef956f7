using System.Globalization;
using Microsoft.Extensions.Options;

namespace SystemMail.Tests.Templates;

/// <summary>A template an administrator saves is checked first, and each problem says where it is.</summary>
public sealed class MailTemplateValidatorTests
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");
    private static readonly MailTemplateRenderer Renderer = new(Options.Create(new MailTemplateOptions()));

    private static Dictionary<string, string> Values(SystemMailKind kind, CultureInfo? culture = null)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["product_name"] = "Acme IoT",
            ["product_url"] = "https://app.acme.test/",
            ["support_address"] = "support@acme.test",
            ["recipient"] = "user@acme.test",
            ["endpoint"] = "smtp.acme.test:587",
            ["provider"] = "Custom",
        };
        MailVariables.AddSamples(kind, values, culture ?? English, new Uri("https://app.acme.test/"), DateTimeOffset.UnixEpoch);
        return values;
    }

    private static IReadOnlyList<TemplateProblem> Validate(SystemMailKind kind, string subject, string html, string text) =>
        MailTemplateValidator.Validate(Renderer, kind, English, new MailTemplate { Subject = subject, Html = html, Text = text }, Values(kind));

    public static TheoryData<SystemMailKind, string> BuiltIn()
    {
        var data = new TheoryData<SystemMailKind, string>();
        foreach (var kind in Enum.GetValues<SystemMailKind>())
        {
            foreach (var language in MailTemplateRenderer.BuiltInLanguages)
            {
                data.Add(kind, language);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BuiltIn))]
    public void Validate_BuiltInTemplate_HasNoProblem(SystemMailKind kind, string language)
    {
        var culture = CultureInfo.GetCultureInfo(language);

        var problems = MailTemplateValidator.Validate(Renderer, kind, culture, Renderer.Default(kind, culture), Values(kind, culture));

        Assert.Empty(problems);
    }

    [Fact]
    public void Validate_UnclosedTag_ReportsLineAndColumnOfTheParser()
    {
        var problems = Validate(SystemMailKind.PasswordReset, "Reset", "<p>Hello</p>\n<p>{% if recipient %}{{ link }}</p>", "{{ link }}");

        var problem = Assert.Single(problems);
        Assert.Equal("html", problem.Part);
        Assert.Equal(2, problem.Line);
        Assert.NotNull(problem.Column);
        Assert.Contains("Liquid syntax error", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownVariable_ReportsWhereItIsRead()
    {
        var problems = Validate(SystemMailKind.PasswordReset, "Reset", "<p>{{ link }}</p>", "Hello {{ user_name }},\nopen {{ link }} within {{ lifetime }}.\n{{ recipent | upcase }}");

        Assert.Collection(
            problems,
            p => Assert.Equal(("text", 1, 10), (p.Part, p.Line!.Value, p.Column!.Value)),
            p => Assert.Equal(("text", 3, 4), (p.Part, p.Line!.Value, p.Column!.Value)));
        Assert.Contains("'user_name' is not a variable of the PasswordReset mail", problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("link", problems[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_VariablesTheTemplateMakesItself_AreKnown()
    {
        var problems = Validate(
            SystemMailKind.VerificationCode,
            "{% assign first = product_name | split: ' ' | first %}{{ first }} code",
            "{% capture greeting %}Hi{% endcapture %}<p>{{ greeting }} {% for c in (1..2) %}{{ forloop.index }}{{ c }}{% endfor %}</p><p>{{ code }}</p>",
            "{{ subject }}: {{ code }}");

        Assert.Empty(problems);
    }

    [Fact]
    public void Validate_SubjectReadingSubject_IsUnknownThere()
    {
        var problems = Validate(SystemMailKind.Test, "{{ subject }}", "<p>{{ subject }}</p>", "{{ subject }}");

        var problem = Assert.Single(problems);
        Assert.Equal(("subject", 1, 4), (problem.Part, problem.Line!.Value, problem.Column!.Value));
    }

    [Fact]
    public void Validate_WithoutTheLink_IsRefusedInEachBody()
    {
        var problems = Validate(SystemMailKind.Activation, "Activate", "<p>Welcome to {{ product_name }}</p>", "Welcome.");

        Assert.Equal(["html", "text"], problems.Select(p => p.Part));
        Assert.All(problems, p => Assert.Contains("{{ link }}", p.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_LinkOnlyInACommentOrFalseBranch_IsRefused()
    {
        var problems = Validate(SystemMailKind.PasswordResetCode, "Code", "<p>{% comment %}{{ code }}{% endcomment %}</p>", "{% if false %}{{ code }}{% endif %}");

        Assert.Equal(["html", "text"], problems.Select(p => p.Part));
    }

    [Fact]
    public void Validate_ScriptInHtml_IsRefusedWithItsPosition()
    {
        var problems = Validate(SystemMailKind.PasswordReset, "Reset", "<p>{{ link }}</p>\n  <SCRIPT src=\"https://evil.test/x.js\"></script>", "{{ link }}");

        var problem = Assert.Single(problems);
        Assert.Equal(("html", 2, 3), (problem.Part, problem.Line!.Value, problem.Column!.Value));
    }

    [Fact]
    public void Validate_LoopThatWritesTooMuch_IsRefusedNamingTheLimit()
    {
        var problems = Validate(SystemMailKind.PasswordReset, "Reset", "<p>{{ link }}</p>", "{% for i in (1..5000) %}{{ link }}{% endfor %}");

        var problem = Assert.Single(problems);
        Assert.Equal("text", problem.Part);
        Assert.Contains("100,000 characters", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EndlessLoop_IsRefusedNamingTheLimit()
    {
        var problems = Validate(SystemMailKind.PasswordReset, "Reset", "{% for i in (1..4000) %}{% for j in (1..4000) %}{% endfor %}{% endfor %}<p>{{ link }}</p>", "{{ link }}");

        var problem = Assert.Single(problems);
        Assert.Equal("html", problem.Part);
        Assert.Contains("100,000 steps", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EmptyParts_AreRequired()
    {
        var problems = MailTemplateValidator.Validate(Renderer, SystemMailKind.Test, English, new MailTemplate { Subject = " ", Html = null, Text = "" }, Values(SystemMailKind.Test));

        Assert.Equal(["subject", "html", "text"], problems.Select(p => p.Part));
    }
}
