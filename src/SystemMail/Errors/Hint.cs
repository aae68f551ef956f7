using System.Collections.Concurrent;
using System.Globalization;
using System.Resources;

namespace SystemMail;

/// <summary>
/// One administrator-facing hint: a stable id and the values put in its text. The text is a resource,
/// <c>Errors/Resources/Hints.resx</c> (English) and its translations (<c>Hints.&lt;culture&gt;.resx</c>), chosen when the hint
/// is shown, so the same failure reads in the administrator's language; converting it to a string gives the English
/// text that exceptions and logs carry.
/// </summary>
internal sealed class Hint
{
    private static readonly ResourceManager Resources = new("SystemMail.Errors.Resources.Hints", typeof(Hint).Assembly);
    private static readonly ConcurrentDictionary<string, (string Language, ResourceSet Texts)[]> TextsByCulture = new();
    private readonly string[] _arguments;

    /// <param name="id">The stable id, the name of the <see cref="Hints"/> member that made it and of its text in the resources.</param>
    /// <param name="arguments">Values put in the text: endpoints, host names, addresses; never a secret.</param>
    public Hint(string id, params string[] arguments)
    {
        Id = id;
        Key = id;
        _arguments = arguments;
    }

    /// <summary>Gets the stable id, such as <c>ConnectTimeout</c>.</summary>
    public string Id { get; }

    /// <summary>Gets the name of the text in the resources: the <see cref="Id"/>, unless the hint has more than one wording.</summary>
    public string Key { get; init; }

    /// <summary>Gets the language hints are shown in for <paramref name="culture"/>, such as <c>zh-Hans</c> or <c>en</c>.</summary>
    /// <remarks>
    /// The first language on <see cref="CultureFallback.Chain"/> that has hint texts, the rule of the mail templates:
    /// zh-CN reads Simplified Chinese, zh-TW Traditional Chinese, pt-PT Brazilian Portuguese; a culture without texts,
    /// such as it, reads English.
    /// </remarks>
    public static string LanguageOf(CultureInfo? culture) => TextsFor(culture)[0].Language;

    /// <summary>Gets the text in <paramref name="culture"/>'s language, English when it has none or is <see langword="null"/>.</summary>
    public string Text(CultureInfo? culture)
    {
        foreach (var (_, texts) in TextsFor(culture))
        {
            if (texts.GetString(Key) is { } text)
            {
                return _arguments.Length == 0 ? text : string.Format(CultureInfo.InvariantCulture, text, _arguments);
            }
        }

        throw new MissingManifestResourceException($"The hint '{Key}' has no text in Hints.resx.");
    }

    /// <summary>Gets the English text.</summary>
    public override string ToString() => Text(CultureInfo.InvariantCulture);

    /// <summary>The hint texts on the culture's fallback chain that exist, most specific first, the neutral (English) last.</summary>
    private static (string Language, ResourceSet Texts)[] TextsFor(CultureInfo? culture) =>
        TextsByCulture.GetOrAdd((culture ?? CultureInfo.InvariantCulture).Name, static name =>
        {
            var found = new List<(string, ResourceSet)>();
            foreach (var candidate in CultureFallback.Chain(CultureInfo.GetCultureInfo(name)))
            {
                // tryParents: false, as the chain already holds the parents; a culture without a satellite gives null.
                if (Resources.GetResourceSet(CultureInfo.GetCultureInfo(candidate), createIfNotExists: true, tryParents: false) is { } texts)
                {
                    found.Add((CultureFallback.LanguageOf(candidate), texts));
                }
            }

            return [.. found];
        });
}
