using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;

namespace SystemMail.AspNetCore;

/// <summary>The page's texts, embedded as one JSON file per language: English, and Simplified Chinese.</summary>
internal static class PageStrings
{
    public const string English = "en";
    public const string SimplifiedChinese = "zh-Hans";

    private static readonly FrozenDictionary<string, FrozenDictionary<string, string>> Languages = new Dictionary<string, FrozenDictionary<string, string>>
    {
        [English] = Load(English),
        [SimplifiedChinese] = Load(SimplifiedChinese),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The page's language for <paramref name="culture"/>: Simplified Chinese for zh-CN, zh-SG, zh-Hans and zh, else English.</summary>
    public static string LanguageOf(CultureInfo culture)
    {
        for (var c = culture; !string.IsNullOrEmpty(c.Name); c = c.Parent)
        {
            if (c.Name.Equals("zh-Hans", StringComparison.OrdinalIgnoreCase) || (c == culture && c.Name.Equals("zh", StringComparison.OrdinalIgnoreCase)))
            {
                return SimplifiedChinese;
            }
        }

        return English;
    }

    /// <summary>Every text of <paramref name="language"/>, each missing one in English.</summary>
    public static IReadOnlyDictionary<string, string> For(string language)
    {
        var english = Languages[English];
        if (!Languages.TryGetValue(language, out var texts) || language == English)
        {
            return english;
        }

        return english.ToDictionary(p => p.Key, p => texts.GetValueOrDefault(p.Key, p.Value), StringComparer.Ordinal);
    }

    /// <summary>The languages the page has.</summary>
    public static IEnumerable<string> Available => Languages.Keys;

    private static FrozenDictionary<string, string> Load(string language) =>
        (JsonSerializer.Deserialize(PageAssets.Read("Strings." + language + ".json"), PageJsonContext.Default.DictionaryStringString)
            ?? throw new InvalidOperationException($"The page's strings for '{language}' are empty."))
        .ToFrozenDictionary(StringComparer.Ordinal);
}
