using System.Collections.Concurrent;
using System.Globalization;
using System.Resources;

namespace SystemMail;

/// <summary>
/// One set of administrator-facing texts in resources (an English neutral <c>.resx</c> and its translations beside it),
/// looked up along <see cref="CultureFallback.Chain"/>: the rule the hints, the validation messages and the mail
/// templates share, so zh-CN reads Simplified Chinese, zh-TW Traditional Chinese, pt-PT Brazilian Portuguese and a
/// culture without texts, such as it, English.
/// </summary>
internal sealed class LocalizedTexts
{
    private readonly ResourceManager _resources;
    private readonly ConcurrentDictionary<string, (string Language, ResourceSet Texts)[]> _byCulture = new();

    /// <param name="baseName">The resources' manifest name, such as <c>SystemMail.Errors.Resources.Hints</c>.</param>
    public LocalizedTexts(string baseName)
    {
        BaseName = baseName;
        _resources = new ResourceManager(baseName, typeof(LocalizedTexts).Assembly);
    }

    /// <summary>Gets the resources' manifest name.</summary>
    public string BaseName { get; }

    /// <summary>Gets the language the texts are shown in for <paramref name="culture"/>, such as <c>zh-Hans</c> or <c>en</c>.</summary>
    public string LanguageOf(CultureInfo? culture) => TextsFor(culture)[0].Language;

    /// <summary>Gets the text named <paramref name="key"/> in <paramref name="culture"/>'s language, English when it has none.</summary>
    /// <exception cref="MissingManifestResourceException">Not even the English resources have the text.</exception>
    public string Get(string key, CultureInfo? culture) =>
        Find(key, culture) ?? throw new MissingManifestResourceException($"The text '{key}' is missing from {BaseName}.resx.");

    /// <summary>Gets the text named <paramref name="key"/> in <paramref name="culture"/>'s language, English when it has none, or <see langword="null"/> when not even English has it.</summary>
    public string? Find(string key, CultureInfo? culture)
    {
        foreach (var (_, texts) in TextsFor(culture))
        {
            if (texts.GetString(key) is { } text)
            {
                return text;
            }
        }

        return null;
    }

    /// <summary>The texts on the culture's fallback chain that exist, most specific first, the neutral (English) last.</summary>
    private (string Language, ResourceSet Texts)[] TextsFor(CultureInfo? culture) =>
        _byCulture.GetOrAdd((culture ?? CultureInfo.InvariantCulture).Name, static (name, resources) =>
        {
            var found = new List<(string, ResourceSet)>();
            foreach (var candidate in CultureFallback.Chain(CultureInfo.GetCultureInfo(name)))
            {
                // tryParents: false, as the chain already holds the parents; a culture without a satellite gives null.
                if (resources.GetResourceSet(CultureInfo.GetCultureInfo(candidate), createIfNotExists: true, tryParents: false) is { } texts)
                {
                    found.Add((CultureFallback.LanguageOf(candidate), texts));
                }
            }

            return [.. found];
        }, _resources);
}
