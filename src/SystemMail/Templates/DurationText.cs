using System.Collections.Concurrent;
using System.Globalization;
using System.Resources;

namespace SystemMail;

/// <summary>
/// Writes a link or code lifetime in the words of the mail's language ("24 hours", "24 小时", "24 часа"), to follow a
/// template's "expires in" (the Russian words are in the accusative the templates' "через" takes).
/// </summary>
/// <remarks>
/// The words are resources, <c>Templates/Resources/Durations.resx</c> (English) and its translations beside it, chosen
/// along <see cref="CultureFallback.Chain"/> like the templates and the hints, so a language is added as text alone. Each
/// unit has one text per plural form of its language (<c>Hour_One</c>, <c>Hour_Few</c>, <c>Hour_Many</c>,
/// <c>Hour_Other</c>); a language without plural forms (Japanese, Korean, Chinese) has <c>_Other</c> alone. The form is
/// chosen by the language's CLDR plural rule, which is the one piece of code a language may need.
/// </remarks>
internal static class DurationText
{
    private static readonly ResourceManager Resources = new("SystemMail.Templates.Resources.Durations", typeof(DurationText).Assembly);
    private static readonly ConcurrentDictionary<string, (string Language, ResourceSet Words)> WordsByCulture = new();

    public static string Format(TimeSpan duration, CultureInfo culture)
    {
        var (language, words) = WordsFor(culture);
        var parts = new List<string>(3);
        if (duration.Days > 0)
        {
            parts.Add(Unit(words, language, "Day", duration.Days, culture));
        }

        if (duration.Hours > 0)
        {
            parts.Add(Unit(words, language, "Hour", duration.Hours, culture));
        }

        if (duration.Minutes > 0 || parts.Count == 0)
        {
            var minutes = parts.Count == 0 ? Math.Max(1, (int)Math.Ceiling(duration.TotalMinutes)) : duration.Minutes;
            parts.Add(Unit(words, language, "Minute", minutes, culture));
        }

        return parts.Count == 1
            ? parts[0]
            : string.Join(Word(words, "Separator"), parts[..^1]) + Word(words, "LastSeparator") + parts[^1];
    }

    /// <summary>Gets the plural form CLDR gives <paramref name="count"/> in <paramref name="language"/>: One, Few, Many or Other.</summary>
    /// <remarks>
    /// Counts here are whole and at least 1, so "one is 1, other is the rest" is exact for English, German, Spanish, French
    /// and Portuguese (French and Portuguese count 0 as one, which never comes), and harmless for the languages that
    /// have <c>_Other</c> alone.
    /// </remarks>
    internal static string PluralForm(string language, int count) => CultureInfo.GetCultureInfo(language).TwoLetterISOLanguageName switch
    {
        "ru" or "uk" or "be" => (count % 10, count % 100) switch
        {
            (1, not 11) => "One",
            (>= 2 and <= 4, not (>= 12 and <= 14)) => "Few",
            _ => "Many",
        },
        _ => count == 1 ? "One" : "Other",
    };

    private static string Unit(ResourceSet words, string language, string unit, int count, CultureInfo culture)
    {
        // The form of the one language found, never another language's: a missing form is the language's Other.
        var text = words.GetString($"{unit}_{PluralForm(language, count)}") ?? Word(words, $"{unit}_Other");
        return string.Format(culture, text, count.ToString("N0", culture));
    }

    private static string Word(ResourceSet words, string name) =>
        words.GetString(name) ?? throw new MissingManifestResourceException($"The duration word '{name}' is missing from Durations.resx or a translation.");

    /// <summary>The words of the first language on the culture's fallback chain that has them; English last.</summary>
    private static (string Language, ResourceSet Words) WordsFor(CultureInfo culture) =>
        WordsByCulture.GetOrAdd(culture.Name, static name =>
        {
            foreach (var candidate in CultureFallback.Chain(CultureInfo.GetCultureInfo(name)))
            {
                // tryParents: false, as the chain already holds the parents; a culture without a satellite gives null.
                if (Resources.GetResourceSet(CultureInfo.GetCultureInfo(candidate), createIfNotExists: true, tryParents: false) is { } words)
                {
                    return (CultureFallback.LanguageOf(candidate), words);
                }
            }

            throw new MissingManifestResourceException("Durations.resx is missing from the package.");
        });
}
