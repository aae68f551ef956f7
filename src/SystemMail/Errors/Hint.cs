using System.Globalization;

namespace SystemMail;

/// <summary>
/// One administrator-facing hint with a stable id, written in English and Simplified Chinese. Its text is chosen
/// when it is shown, so the same failure reads in the administrator's language; converting it to a string gives
/// the English text that exceptions and logs carry.
/// </summary>
internal sealed class Hint
{
    private const string SimplifiedChinese = "zh-Hans";
    private readonly string _english;
    private readonly string _simplifiedChinese;
    private readonly string[] _arguments;

    /// <param name="id">The stable id, the name of the <see cref="Hints"/> member that made it.</param>
    /// <param name="english">The English text, a composite format string over <paramref name="arguments"/>.</param>
    /// <param name="simplifiedChinese">The Simplified Chinese text over the same arguments.</param>
    /// <param name="arguments">Values put in the text: endpoints, host names, addresses; never a secret.</param>
    public Hint(string id, string english, string simplifiedChinese, params string[] arguments)
    {
        Id = id;
        _english = english;
        _simplifiedChinese = simplifiedChinese;
        _arguments = arguments;
    }

    /// <summary>Gets the stable id, such as <c>ConnectTimeout</c>.</summary>
    public string Id { get; }

    public static implicit operator string(Hint hint) => hint.ToString();

    /// <summary>Gets the language a hint is written in for <paramref name="culture"/>: <c>zh-Hans</c> or <c>en</c>.</summary>
    /// <remarks>
    /// The culture and its parents are searched, as the mail templates do: zh-CN and zh-SG (parent zh-Hans) read
    /// Simplified Chinese; every other culture, Traditional Chinese included, falls back to English.
    /// </remarks>
    public static string LanguageOf(CultureInfo? culture)
    {
        for (var current = culture; current is not null && !string.IsNullOrEmpty(current.Name); current = current.Parent)
        {
            if (string.Equals(current.Name, SimplifiedChinese, StringComparison.OrdinalIgnoreCase))
            {
                return SimplifiedChinese;
            }
        }

        return "en";
    }

    /// <summary>Gets the text in <paramref name="culture"/>'s language, English when it has none.</summary>
    public string Text(CultureInfo? culture) =>
        Format(LanguageOf(culture) == SimplifiedChinese ? _simplifiedChinese : _english);

    /// <summary>Gets the English text.</summary>
    public override string ToString() => Format(_english);

    private string Format(string text) =>
        _arguments.Length == 0 ? text : string.Format(CultureInfo.InvariantCulture, text, _arguments);
}
