using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;

namespace SystemMail.AspNetCore;

/// <summary>
/// The page's texts, embedded as one JSON file per language (<c>Strings/&lt;language&gt;.json</c>), in the ten languages
/// of the hints and the validation messages, chosen by the same rule (<see cref="CultureFallback.Chain"/>).
/// </summary>
internal static class PageStrings
{
    public const string English = CultureFallback.NeutralLanguage;
    public const string SimplifiedChinese = "zh-Hans";

    /// <summary>The languages the page is written in, as the hints' and validation messages' resources name them.</summary>
    private static readonly string[] Written = [English, SimplifiedChinese, "zh-Hant", "ja", "ko", "de", "fr", "es", "pt-BR", "ru"];

    private static readonly FrozenDictionary<string, FrozenDictionary<string, string>> Languages =
        Written.ToFrozenDictionary(language => language, Load, StringComparer.Ordinal);

    /// <summary>
    /// The page's language for <paramref name="culture"/>: the first language on its fallback chain the page is written
    /// in, as for the hints: zh-CN reads zh-Hans, zh-TW zh-Hant, de-AT de, pt-PT pt-BR; a culture without texts (it) reads English.
    /// </summary>
    public static string LanguageOf(CultureInfo culture)
    {
        foreach (var name in CultureFallback.Chain(culture))
        {
            var language = CultureFallback.LanguageOf(name);
            if (Array.Find(Written, w => w.Equals(language, StringComparison.OrdinalIgnoreCase)) is { } written)
            {
                return written;
            }
        }

        return English;
    }

    /// <summary>
    /// The <c>lang</c> of a page in <paramref name="language"/> asked for in <paramref name="culture"/>: the culture when
    /// the text is written for it or one of its parents (zh-CN, de-AT), else the text's language (pt-PT reads pt-BR, it reads en).
    /// </summary>
    public static string HtmlLanguage(CultureInfo culture, string language)
    {
        if (language == English)
        {
            return English;
        }

        for (var c = culture; !string.IsNullOrEmpty(c.Name); c = c.Parent)
        {
            if (c.Name.Equals(language, StringComparison.OrdinalIgnoreCase))
            {
                return culture.Name;
            }
        }

        return language;
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
    public static IEnumerable<string> Available => Written;

    private static FrozenDictionary<string, string> Load(string language) =>
        (JsonSerializer.Deserialize(PageAssets.Read("Strings." + language + ".json"), PageJsonContext.Default.DictionaryStringString)
            ?? throw new InvalidOperationException($"The page's strings for '{language}' are empty."))
        .ToFrozenDictionary(StringComparer.Ordinal);
}
