using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using SystemMail.Tests.Localization;

namespace SystemMail.Tests.Templates;

/// <summary>Every built-in mail in every language: rendered, holding its values, translated, shaped like the English mail.</summary>
public sealed partial class BuiltInTemplatesTests
{
    private const string Link = "https://app.acme.test/confirm?token=a1&user=7";
    private const string Code = "493027";
    private static readonly MailTemplateRenderer Renderer = new(Options.Create(new MailTemplateOptions()));
    private static readonly DateTimeOffset LockoutEnd = new(2026, 3, 5, 14, 30, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    public static TheoryData<SystemMailKind, string> EveryKindInEveryLanguage() => Combine(BuiltInLanguages.All);

    public static TheoryData<SystemMailKind, string> EveryKindInEveryTranslation() => Combine(BuiltInLanguages.Translated);

    public static TheoryData<SystemMailKind, string> EveryKindInEveryNonLatinLanguage() => Combine(BuiltInLanguages.NonLatin);

    [Fact]
    public void BuiltInTemplates_Package_HasEveryLanguageWithEveryFile()
    {
        // Arrange
        var english = Files("en");

        // Act
        var languages = Resources().Select(r => r.Language).Distinct().Order(StringComparer.Ordinal);

        // Assert
        Assert.Equal(BuiltInLanguages.All.Order(StringComparer.Ordinal), languages);
        Assert.Equal(26, english.Count);
        Assert.All(BuiltInLanguages.Translated, language => Assert.Equal(english.Keys.Order(StringComparer.Ordinal), Files(language).Keys.Order(StringComparer.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(BuiltInLanguages.TranslatedData), MemberType = typeof(BuiltInLanguages))]
    public void BuiltInTemplates_Translation_UsesTheVariablesOfEnglish(string language)
    {
        // Arrange
        var english = Files("en");

        // Act
        var translated = Files(language);

        // Assert
        Assert.All(english, file => Assert.Equal(Variables(file.Value), Variables(translated[file.Key])));
    }

    [Theory]
    [MemberData(nameof(EveryKindInEveryLanguage))]
    public void Render_EveryKindInEveryLanguage_HoldsItsLinkCodeAndLifetime(SystemMailKind kind, string language)
    {
        // Arrange
        var culture = CultureInfo.GetCultureInfo(language);

        // Act
        var mail = Render(kind, language);

        // Assert
        Assert.False(string.IsNullOrWhiteSpace(mail.Subject));
        Assert.DoesNotContain('\n', mail.Subject);
        Assert.StartsWith("<!DOCTYPE html>", mail.Html, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(Visible(mail.Html)));
        Assert.False(string.IsNullOrWhiteSpace(mail.Text));
        Assert.Contains("user@acme.test", mail.Text, StringComparison.Ordinal);
        foreach (var value in Expected(kind, culture))
        {
            Assert.Contains(value, mail.Text, StringComparison.Ordinal);
            Assert.Contains(value, Visible(mail.Html), StringComparison.Ordinal);
        }

        Assert.DoesNotContain("{{", mail.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("{%", mail.Html, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(EveryKindInEveryTranslation))]
    public void Render_Translation_HasNoSentenceOfTheEnglishMail(SystemMailKind kind, string language)
    {
        // Arrange
        var english = EnglishSentences(kind);

        // Act
        var translated = Readable(Render(kind, language), language);

        // Assert
        Assert.NotEmpty(english);
        Assert.All(english, sentence => Assert.DoesNotContain(sentence, translated, StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [MemberData(nameof(EveryKindInEveryNonLatinLanguage))]
    public void Render_NonLatinTranslation_HasNoRunOfEnglishWords(SystemMailKind kind, string language)
    {
        // Arrange
        var englishWords = Words().Matches(Readable(Render(kind, "en"), "en")).Select(m => m.Value.ToUpperInvariant()).ToHashSet();

        // Act
        var runs = WordRun().Matches(Readable(Render(kind, language), language)).Select(m => m.Value);

        // Assert
        Assert.DoesNotContain(runs, run => Words().Matches(run).Any(w => englishWords.Contains(w.Value.ToUpperInvariant())));
    }

    [Theory]
    [MemberData(nameof(EveryKindInEveryTranslation))]
    public void Render_Translation_HasTheHtmlSkeletonOfEnglish(SystemMailKind kind, string language)
    {
        // Arrange
        var english = Skeleton(Render(kind, "en").Html);

        // Act
        var translated = Skeleton(Render(kind, language).Html);

        // Assert
        Assert.Equal(english, translated);
    }

    [Theory]
    [InlineData("en", "en")]
    [InlineData("zh-Hans", "zh-CN")]
    [InlineData("zh-Hant", "zh-TW")]
    [InlineData("ja", "ja")]
    [InlineData("ko", "ko")]
    [InlineData("de", "de")]
    [InlineData("fr", "fr")]
    [InlineData("es", "es")]
    [InlineData("pt-BR", "pt-BR")]
    [InlineData("ru", "ru")]
    public void Render_Language_DeclaresItInTheHtml(string language, string expected)
    {
        // Act
        var mail = Render(SystemMailKind.Test, language);

        // Assert
        Assert.Contains($"<html lang=\"{expected}\">", mail.Html, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BuiltInLanguages.AllData), MemberType = typeof(BuiltInLanguages))]
    public void Render_AccountLockedOutWithoutLinkOrEnd_LeavesOutTheirSentences(string language)
    {
        // Arrange
        var values = Values(SystemMailKind.AccountLockedOut, CultureInfo.GetCultureInfo(language));
        values["link"] = "";
        var withoutLink = Renderer.Render(SystemMailKind.AccountLockedOut, CultureInfo.GetCultureInfo(language), values);
        values["link"] = Link;
        values["lockout_end"] = "";

        // Act
        var withoutEnd = Renderer.Render(SystemMailKind.AccountLockedOut, CultureInfo.GetCultureInfo(language), values);

        // Assert
        Assert.DoesNotContain("https://app.acme.test", withoutLink.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://app.acme.test", withoutLink.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("2026", withoutEnd.Text, StringComparison.Ordinal);
        Assert.Contains(Link, withoutEnd.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_EnglishActivation_FitsAnInvitedAndASelfRegisteredUser()
    {
        // Act
        var mail = Render(SystemMailKind.Activation, "en");

        // Assert
        Assert.Contains("Confirm your email address to activate your Acme account and sign in", mail.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("password", mail.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("created for you", mail.Text, StringComparison.Ordinal);
    }

    private static TheoryData<SystemMailKind, string> Combine(IEnumerable<string> languages)
    {
        var data = new TheoryData<SystemMailKind, string>();
        foreach (var kind in Enum.GetValues<SystemMailKind>())
        {
            foreach (var language in languages)
            {
                data.Add(kind, language);
            }
        }

        return data;
    }

    private static RenderedMail Render(SystemMailKind kind, string language)
    {
        var culture = CultureInfo.GetCultureInfo(language);
        return Renderer.Render(kind, culture, Values(kind, culture));
    }

    /// <summary>The values the mailer passes, made the way it makes them (durations and dates in the culture).</summary>
    private static Dictionary<string, string> Values(SystemMailKind kind, CultureInfo culture) => new(StringComparer.Ordinal)
    {
        ["product_name"] = "Acme",
        ["product_url"] = "https://acme.test/",
        ["support_address"] = "help@acme.test",
        ["recipient"] = "user@acme.test",
        ["link"] = Link,
        ["code"] = Code,
        ["lifetime"] = DurationText.Format(Lifetime, culture),
        ["lifetime_minutes"] = "1440",
        ["lockout_end"] = LockoutEnd.ToString("f", culture) + " UTC",
        ["endpoint"] = "smtp.acme.test:587",
        ["provider"] = kind == SystemMailKind.Test ? "Custom" : "",
    };

    /// <summary>The values a kind's mail must show.</summary>
    private static string[] Expected(SystemMailKind kind, CultureInfo culture) => kind switch
    {
        SystemMailKind.Activation or SystemMailKind.PasswordReset => [Link, DurationText.Format(Lifetime, culture)],
        SystemMailKind.AccountActivated or SystemMailKind.PasswordWasReset => [Link],
        SystemMailKind.AccountLockedOut => [Link, LockoutEnd.ToString("f", culture) + " UTC"],
        SystemMailKind.VerificationCode or SystemMailKind.PasswordResetCode => [Code, DurationText.Format(Lifetime, culture)],
        SystemMailKind.Test => ["smtp.acme.test:587", "Custom"],
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The sentences of the English mail, its values taken out, three words or longer.</summary>
    private static string[] EnglishSentences(SystemMailKind kind)
    {
        var english = Readable(Render(kind, "en"), "en");
        return [.. Sentence().Split(english)
            .Select(s => s.Trim().TrimEnd('.', ':', '?', '!', ','))
            .Where(s => Words().Matches(s).Count >= 3)
            .Distinct(StringComparer.Ordinal)];
    }

    /// <summary>What a reader reads: the subject, the visible HTML and the text, with the values replaced by a bullet.</summary>
    private static string Readable(RenderedMail mail, string language)
    {
        var values = Values(SystemMailKind.Test, CultureInfo.GetCultureInfo(language)).Values
            .Concat([Link, Code])
            .Where(v => v.Length > 0)
            .OrderByDescending(v => v.Length);
        var text = mail.Subject + "\n" + Visible(mail.Html) + "\n" + mail.Text;
        return values.Aggregate(text, (t, v) => t.Replace(v, "•", StringComparison.Ordinal));
    }

    private static string Visible(string html)
    {
        var body = html[html.IndexOf("<body", StringComparison.Ordinal)..];
        return WebUtility.HtmlDecode(Tag().Replace(body, "\n"));
    }

    /// <summary>Each tag's name, its attribute names and its link: what the English mail and a translation must share.</summary>
    private static string[] Skeleton(string html) =>
        [.. Tag().Matches(html).Select(m =>
        {
            var tag = m.Value;
            var name = TagName().Match(tag).Value;
            var attributes = string.Join(' ', Attribute().Matches(tag).Select(a => a.Groups["name"].Value == "href" ? a.Value : a.Groups["name"].Value));
            return $"{name} {attributes}";
        })];

    private static SortedSet<string> Variables(string template) =>
        new(Variable().Matches(template).Select(m => m.Groups["name"].Value), StringComparer.Ordinal);

    private static IEnumerable<(string Language, string File, string Resource)> Resources() =>
        typeof(MailTemplateRenderer).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("SystemMail.Templates.", StringComparison.Ordinal) && n.EndsWith(".liquid", StringComparison.Ordinal))
            .Select(n => n["SystemMail.Templates.".Length..].Split('/') is [var language, var file] ? (language, file, n) : throw new InvalidOperationException(n));

    private static Dictionary<string, string> Files(string language)
    {
        var assembly = typeof(MailTemplateRenderer).Assembly;
        return Resources().Where(r => r.Language == language).ToDictionary(r => r.File, r => Read(assembly, r.Resource), StringComparer.Ordinal);
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"^</?[!\w]+")]
    private static partial Regex TagName();

    [GeneratedRegex(@"\s(?<name>[\w-]+)(=""[^""]*"")?")]
    private static partial Regex Attribute();

    [GeneratedRegex(@"\{[{%]-?\s*(?:if\s+)?(?<name>[a-z_]+)")]
    private static partial Regex Variable();

    [GeneratedRegex(@"[A-Za-z]+")]
    private static partial Regex Words();

    [GeneratedRegex(@"[A-Za-z]+(?:[ ,']+[A-Za-z]+){2,}")]
    private static partial Regex WordRun();

    [GeneratedRegex(@"(?<=[.:!?])\s+|\n")]
    private static partial Regex Sentence();
}
