using System.Globalization;
using System.Resources;

// The neutral resources (Hints.resx) are English, so English cultures read them without probing for a satellite.
[assembly: NeutralResourcesLanguage(SystemMail.CultureFallback.NeutralLanguage)]

namespace SystemMail;

/// <summary>
/// The one rule that picks the language of the text people read, shared by the mail templates and the hints: the
/// culture, then its parents, then the neutral text, which is English.
/// </summary>
/// <remarks>
/// It is the walk <see cref="ResourceManager"/> makes over satellite assemblies, so templates and hints agree on every
/// culture: zh-CN and zh-SG reach zh-Hans (Simplified Chinese); zh-TW and zh-Hant reach zh and then English, never
/// Simplified Chinese. A language is added by adding its text (a template folder, a <c>Hints.&lt;culture&gt;.resx</c>),
/// not by changing this rule.
/// </remarks>
internal static class CultureFallback
{
    /// <summary>The language of the neutral text: <c>Hints.resx</c> and the templates in <c>Templates/Resources/en</c>.</summary>
    public const string NeutralLanguage = "en";

    /// <summary>Gets the culture names to try, most specific first, ending with <see cref="string.Empty"/> for the neutral text.</summary>
    /// <param name="culture">The culture asked for.</param>
    /// <returns>For zh-CN: zh-CN, zh-Hans, zh, "". For the invariant culture: "" alone.</returns>
    public static IReadOnlyList<string> Chain(CultureInfo culture)
    {
        var chain = new List<string>(4);
        for (var current = culture; !string.IsNullOrEmpty(current.Name); current = current.Parent)
        {
            chain.Add(current.Name);
        }

        chain.Add(string.Empty);
        return chain;
    }

    /// <summary>Gets the language a name of the <see cref="Chain"/> stands for: the name itself, or <see cref="NeutralLanguage"/> for "".</summary>
    public static string LanguageOf(string name) => name.Length == 0 ? NeutralLanguage : name;
}
