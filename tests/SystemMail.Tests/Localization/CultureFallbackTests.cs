using System.Globalization;
using Microsoft.Extensions.Options;

namespace SystemMail.Tests.Localization;

/// <summary>The mail templates, the hints and the durations choose their language by one rule.</summary>
public sealed class CultureFallbackTests
{
    [Theory]
    [InlineData("zh-CN", "zh-CN|zh-Hans|zh|")]
    [InlineData("zh-SG", "zh-SG|zh-Hans|zh|")]
    [InlineData("zh-TW", "zh-TW|zh-Hant|zh|")]
    [InlineData("zh-HK", "zh-HK|zh-Hant|zh|")]
    [InlineData("zh-MO", "zh-MO|zh-Hant|zh|")]
    [InlineData("zh", "zh|zh-Hans|")]
    [InlineData("pt", "pt|pt-BR|")]
    [InlineData("pt-PT", "pt-PT|pt|pt-BR|")]
    [InlineData("pt-BR", "pt-BR|pt|")]
    [InlineData("fr-CA", "fr-CA|fr|")]
    [InlineData("sr-Latn-RS", "sr-Latn-RS|sr-Latn|sr|")]
    [InlineData("", "")]
    public void Chain_Culture_IsTheCultureItsParentsThenTheNeutralText(string culture, string expected)
    {
        // Act
        var chain = CultureFallback.Chain(CultureInfo.GetCultureInfo(culture));

        // Assert
        Assert.Equal(expected, string.Join('|', chain));
    }

    [Theory]
    [InlineData("zh-Hans", "zh-Hans")]
    [InlineData("zh-CN", "zh-Hans")]
    [InlineData("zh-SG", "zh-Hans")]
    [InlineData("zh", "zh-Hans")]
    [InlineData("zh-Hant", "zh-Hant")]
    [InlineData("zh-TW", "zh-Hant")]
    [InlineData("zh-HK", "zh-Hant")]
    [InlineData("zh-MO", "zh-Hant")]
    [InlineData("ja-JP", "ja")]
    [InlineData("ko-KR", "ko")]
    [InlineData("de-AT", "de")]
    [InlineData("de-CH", "de")]
    [InlineData("fr-CA", "fr")]
    [InlineData("fr-FR", "fr")]
    [InlineData("es-MX", "es")]
    [InlineData("es-419", "es")]
    [InlineData("pt-BR", "pt-BR")]
    [InlineData("pt", "pt-BR")]
    [InlineData("pt-PT", "pt-BR")]
    [InlineData("ru-RU", "ru")]
    [InlineData("en-GB", "en")]
    [InlineData("it", "en")]
    [InlineData("", "en")]
    public void LanguageOf_Culture_IsTheLanguageOfTheMailTemplatesAndTheDurations(string culture, string expected)
    {
        // Arrange
        var renderer = new MailTemplateRenderer(Options.Create(new MailTemplateOptions()));
        var values = new Dictionary<string, string> { ["product_name"] = "Acme", ["link"] = "https://acme.test/reset" };
        string Subject(string name) => renderer.Render(SystemMailKind.PasswordReset, CultureInfo.GetCultureInfo(name), values).Subject;
        string Duration(string name) => DurationText.Format(TimeSpan.FromHours(2), CultureInfo.GetCultureInfo(name));

        // Act
        var language = Hint.LanguageOf(CultureInfo.GetCultureInfo(culture));

        // Assert
        Assert.Equal(expected, language);
        Assert.Equal(Subject(language), Subject(culture));
        Assert.Equal(Duration(language), Duration(culture));
    }

    [Theory]
    [MemberData(nameof(BuiltInLanguages.TranslatedData), MemberType = typeof(BuiltInLanguages))]
    public void LanguageOf_EveryTranslation_HasItsOwnSubjectAndDuration(string language)
    {
        // Arrange
        var renderer = new MailTemplateRenderer(Options.Create(new MailTemplateOptions()));
        var values = new Dictionary<string, string> { ["product_name"] = "Acme", ["link"] = "https://acme.test/reset" };
        string Subject(string name) => renderer.Render(SystemMailKind.PasswordReset, CultureInfo.GetCultureInfo(name), values).Subject;
        string Duration(string name) => DurationText.Format(TimeSpan.FromHours(2), CultureInfo.GetCultureInfo(name));

        // Act
        var hintLanguage = Hint.LanguageOf(CultureInfo.GetCultureInfo(language));

        // Assert
        Assert.Equal(language, hintLanguage);
        Assert.NotEqual(Subject("en"), Subject(language));
        Assert.NotEqual(Duration("en"), Duration(language));
    }
}
