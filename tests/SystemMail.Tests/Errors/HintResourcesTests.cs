using System.Globalization;
using System.Text.RegularExpressions;
using SystemMail.Tests.Localization;

namespace SystemMail.Tests.Errors;

/// <summary>The hint texts are resources: every hint has one in every language, with the same values put in it.</summary>
public sealed partial class HintResourcesTests
{
    public static TheoryData<string> Languages() => [.. HintCatalog.TranslatedLanguages()];

    [Fact]
    public void TranslatedLanguages_BuildOutput_HasASatelliteForEveryBuiltInLanguage()
    {
        // Act
        var languages = HintCatalog.TranslatedLanguages();

        // Assert
        Assert.Equal(BuiltInLanguages.Translated.Order(StringComparer.Ordinal), languages);
    }

    [Fact]
    public void NeutralTexts_EveryHint_HasOneTextAndEveryTextAHint()
    {
        // Arrange
        var keys = HintCatalog.All(SmtpSecurity.None).Concat(HintCatalog.All(SmtpSecurity.StartTls)).Select(h => h.Hint.Key).Distinct();

        // Act
        var texts = HintCatalog.Texts(string.Empty).Keys;

        // Assert
        Assert.Equal(keys.Order(StringComparer.Ordinal), texts.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void Texts_Translation_HasEveryTextWithTheSamePlaceholders(string language)
    {
        // Arrange
        var english = HintCatalog.Texts(string.Empty);

        // Act
        var translated = HintCatalog.Texts(language);

        // Assert
        Assert.Equal(english.Keys.Order(StringComparer.Ordinal), translated.Keys.Order(StringComparer.Ordinal));
        Assert.All(english, e =>
        {
            Assert.NotEqual(e.Value, translated[e.Key]);
            Assert.Equal(Placeholders(e.Value), Placeholders(translated[e.Key]));
        });
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void Text_EveryHintInTranslation_PutsTheSameValuesAsInEnglish(string language)
    {
        // Arrange
        var culture = CultureInfo.GetCultureInfo(language);

        foreach (var (member, hint) in HintCatalog.All(SmtpSecurity.None).Concat(HintCatalog.All(SmtpSecurity.StartTls)))
        {
            // Act
            var english = hint.Text(CultureInfo.InvariantCulture);
            var translated = hint.Text(culture);

            // Assert
            Assert.False(translated.Contains('{', StringComparison.Ordinal), $"{member} ({language}): {translated}");
            Assert.Equal(Values(english), Values(translated));
        }
    }

    [Theory]
    [InlineData("zh-Hans")]
    [InlineData("zh-CN")]
    [InlineData("zh-SG")]
    [InlineData("zh-TW")]
    [InlineData("zh-HK")]
    [InlineData("zh-Hant")]
    [InlineData("fr-CA")]
    [InlineData("de-AT")]
    [InlineData("ja-JP")]
    [InlineData("pt-BR")]
    [InlineData("en-US")]
    [InlineData("it")]
    [InlineData("")]
    public void Text_Culture_IsTheTextResourceManagerFallsBackTo(string name)
    {
        // Arrange
        var culture = CultureInfo.GetCultureInfo(name);
        var withoutValues = HintCatalog.All().Where(h => !HintCatalog.Texts(string.Empty)[h.Hint.Key].Contains('{', StringComparison.Ordinal)).ToList();

        foreach (var (_, hint) in withoutValues)
        {
            // Act
            var text = hint.Text(culture);

            // Assert
            Assert.Equal(HintCatalog.Resources.GetString(hint.Key, culture), text);
        }

        Assert.NotEmpty(withoutValues);
    }

    [Theory]
    [InlineData("pt")]
    [InlineData("pt-PT")]
    [InlineData("pt-AO")]
    public void Text_PortugueseWithoutBrazilianSatellite_IsTheBrazilianText(string name)
    {
        // Arrange
        var hint = Hints.WrongCredentials;
        var brazilian = HintCatalog.Texts("pt-BR")[hint.Key];

        // Act
        var text = hint.Text(CultureInfo.GetCultureInfo(name));

        // Assert: where the ResourceManager alone would give English, the one rule of CultureFallback reaches pt-BR.
        Assert.Equal(brazilian, text);
        Assert.Equal(HintCatalog.Texts(string.Empty)[hint.Key], HintCatalog.Resources.GetString(hint.Key, CultureInfo.GetCultureInfo(name)));
    }

    [Theory]
    [InlineData("de-DE", "Unter … nimmt nichts Verbindungen an: Prüfen Sie Host und Port, und ob eine Firewall den Port sperrt.")]
    [InlineData("zh-TW", null)]
    [InlineData("it-IT", "Nothing accepts connections at …: check Host and Port, and whether a firewall rejects the port.")]
    public void TextOf_IdAlone_TextInTheCultureWithItsValuesElided(string culture, string? expected)
    {
        // Arrange: the outbox keeps a failure's hint id, not the values its text names.
        var info = CultureInfo.GetCultureInfo(culture);

        // Act
        var text = Hint.TextOf("ConnectionRefused", info);

        // Assert
        Assert.Equal(expected ?? HintCatalog.Texts("zh-Hant")["ConnectionRefused"].Replace("{0}", "…", StringComparison.Ordinal), text);
        Assert.Null(Hint.TextOf("NoSuchHint", info));
    }

    private static string[] Placeholders(string text) =>
        [.. Placeholder().Matches(text).Select(m => m.Value).Distinct().Order(StringComparer.Ordinal)];

    private static string[] Values(string text) =>
        [.. SampleValue().Matches(text).Select(m => m.Value).Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();

    /// <summary>
    /// The sample values <see cref="HintCatalog.All"/> passes: "value-endpoint" and the like, and 42 seconds. Letters are
    /// ASCII alone, as a Korean particle follows a value without a space ("value-endpoint의").
    /// </summary>
    [GeneratedRegex(@"value-[A-Za-z]+|42")]
    private static partial Regex SampleValue();
}
