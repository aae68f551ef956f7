using System.Text.Json;
using System.Text.RegularExpressions;

namespace SystemMail.AspNetCore.Tests.Admin;

/// <summary>
/// The page's strings in its ten languages, as the hints and the validation messages: every file has exactly the
/// English keys with the same placeholders, and no text left in English except what every language writes alike.
/// </summary>
public sealed partial class PageStringsTests
{
    // Protocol words, the sample address and words a language writes as English does ("Status" in German, "Error" in Spanish).
    private static readonly HashSet<string> SameInEveryLanguage = ["fromPlaceholder", "securityStartTls", "securitySslOnConnect", "authenticationOAuth2", "stageEhlo", "stageMailFrom", "stageRcptTo", "stageData", "templateHtml"];
    private static readonly HashSet<(string Language, string Key)> SameInOneLanguage = [("de", "outboxStatus"), ("es", "error")];

    public static TheoryData<string> Translations() => [.. PageStrings.Available.Where(l => l != PageStrings.English)];

    [Fact]
    public void Available_TheTenLanguagesOfTheHints()
    {
        Assert.Equal(["de", "en", "es", "fr", "ja", "ko", "pt-BR", "ru", "zh-Hans", "zh-Hant"], PageStrings.Available.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Translations))]
    public void Strings_Translation_HasExactlyTheEnglishKeysWithTheSamePlaceholders(string language)
    {
        // Arrange
        var english = Read(PageStrings.English);

        // Act
        var translated = Read(language);

        // Assert
        Assert.Equal(english.Keys.Order(StringComparer.Ordinal), translated.Keys.Order(StringComparer.Ordinal));
        Assert.All(english, e => Assert.True(Placeholders(e.Value).SequenceEqual(Placeholders(translated[e.Key])), $"{language}: {e.Key} '{translated[e.Key]}'"));
        Assert.All(translated, t => Assert.False(string.IsNullOrWhiteSpace(t.Value), $"{language}: {t.Key} is blank."));
    }

    [Theory]
    [MemberData(nameof(Translations))]
    public void Strings_Translation_NoTextIsTheEnglishText(string language)
    {
        // Arrange
        var english = Read(PageStrings.English);

        // Act
        var translated = Read(language);

        // Assert
        var same = english.Where(e => translated.GetValueOrDefault(e.Key) == e.Value && !SameInEveryLanguage.Contains(e.Key) && !SameInOneLanguage.Contains((language, e.Key)))
            .Select(e => $"{e.Key}: '{e.Value}'");
        Assert.Empty(same);
    }

    [Fact]
    public void Strings_EveryErrorKind_HasItsName()
    {
        var english = Read(PageStrings.English);

        Assert.All(Enum.GetNames<SystemMailErrorKind>(), kind => Assert.True(english.ContainsKey("errorKind" + kind), kind));
        Assert.Equal(Enum.GetNames<SystemMailErrorKind>().Length, english.Keys.Count(k => k.StartsWith("errorKind", StringComparison.Ordinal)));
    }

    private static Dictionary<string, string> Read(string language) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(PageAssets.Read("Strings." + language + ".json"))!;

    private static string[] Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Value).Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}
