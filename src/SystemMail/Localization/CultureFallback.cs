using System.Globalization;
using System.Resources;

// The neutral resources (Hints.resx, Durations.resx) are English, so English cultures read them without probing for a satellite.
[assembly: NeutralResourcesLanguage(SystemMail.CultureFallback.NeutralLanguage)]

namespace SystemMail;

/// <summary>
/// The one rule that picks the language of the text people read, shared by the mail templates, the hints and the
/// durations in the mails: the culture, then its parents, then the text that stands for a bare language, then the
/// neutral text, which is English.
/// </summary>
/// <remarks>
/// <para>
/// The culture and its parents are the walk <see cref="ResourceManager"/> makes over satellite assemblies: zh-CN and
/// zh-SG reach zh-Hans (Simplified Chinese); zh-TW, zh-HK and zh-MO reach zh-Hant (Traditional Chinese); de-AT reaches
/// de, es-MX es, fr-CA fr; en-GB reaches en, the neutral text; a language without text, such as it, reads English.
/// </para>
/// <para>
/// One step is added to that walk, because two languages keep their text under a region or a script rather than under
/// the bare language: when the walk ends at such a language without having named a script on the way, the language's
/// text comes next. Portuguese is written as in Brazil (pt-BR), and pt, pt-PT, pt-AO and the other Portuguese cultures
/// read it: European readers read Brazilian Portuguese without effort, and it serves them better than English. Chinese
/// without a script (zh) reads Simplified Chinese; zh-TW named zh-Hant on the way and never reaches it. The hints ask
/// the <see cref="ResourceManager"/> for each culture of this chain without its parents, so they take this step too.
/// </para>
/// <para>
/// A language is added by adding its text (a template folder, a <c>Hints.&lt;culture&gt;.resx</c>, a
/// <c>Durations.&lt;culture&gt;.resx</c>), not by changing this rule, unless its text lives under a region or a script.
/// </para>
/// </remarks>
internal static class CultureFallback
{
    /// <summary>The language of the neutral text: <c>Hints.resx</c>, <c>Durations.resx</c> and the templates in <c>Templates/Resources/en</c>.</summary>
    public const string NeutralLanguage = "en";

    /// <summary>The languages whose text is kept under one of their regions or scripts, and where.</summary>
    private static readonly Dictionary<string, string> TextOfLanguage = new(StringComparer.OrdinalIgnoreCase)
    {
        ["pt"] = "pt-BR",
        ["zh"] = "zh-Hans",
    };

    /// <summary>Gets the culture names to try, most specific first, ending with <see cref="string.Empty"/> for the neutral text.</summary>
    /// <param name="culture">The culture asked for.</param>
    /// <returns>For zh-CN: zh-CN, zh-Hans, zh, "". For pt-PT: pt-PT, pt, pt-BR, "". For the invariant culture: "" alone.</returns>
    public static IReadOnlyList<string> Chain(CultureInfo culture)
    {
        var chain = new List<string>(5);
        var namesScript = false;
        for (var current = culture; !string.IsNullOrEmpty(current.Name); current = current.Parent)
        {
            chain.Add(current.Name);

            // A neutral culture that still has a parent is a language with its script: zh-Hant, sr-Latn.
            namesScript |= current.IsNeutralCulture && !string.IsNullOrEmpty(current.Parent.Name);
        }

        if (chain.Count > 0 && !namesScript && TextOfLanguage.TryGetValue(chain[^1], out var text) && !chain.Contains(text, StringComparer.OrdinalIgnoreCase))
        {
            chain.Add(text);
        }

        chain.Add(string.Empty);
        return chain;
    }

    /// <summary>Gets the language a name of the <see cref="Chain"/> stands for: the name itself, or <see cref="NeutralLanguage"/> for "".</summary>
    public static string LanguageOf(string name) => name.Length == 0 ? NeutralLanguage : name;
}
