using System.Globalization;

namespace SystemMail;

/// <summary>
/// One administrator-facing hint: a stable id and the values put in its text. The text is a resource,
/// <c>Errors/Resources/Hints.resx</c> (English) and its translations (<c>Hints.&lt;culture&gt;.resx</c>), chosen when the hint
/// is shown, so the same failure reads in the administrator's language; converting it to a string gives the English
/// text that exceptions and logs carry.
/// </summary>
internal sealed partial class Hint
{
    private static readonly LocalizedTexts Texts = new("SystemMail.Errors.Resources.Hints");
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
    public static string LanguageOf(CultureInfo? culture) => Texts.LanguageOf(culture);

    /// <summary>Gets the text in <paramref name="culture"/>'s language, English when it has none or is <see langword="null"/>.</summary>
    public string Text(CultureInfo? culture)
    {
        var text = Texts.Get(Key, culture);
        return _arguments.Length == 0 ? text : string.Format(CultureInfo.InvariantCulture, text, _arguments);
    }

    /// <summary>
    /// Gets the text of the hint <paramref name="id"/> in <paramref name="culture"/>'s language when only its id was kept
    /// (the outbox keeps the id, not the values): each value the text names reads "…". <see langword="null"/> for an unknown id.
    /// </summary>
    public static string? TextOf(string id, CultureInfo? culture) =>
        Texts.Find(id, culture) is { } text ? ValuePlaceholder().Replace(text, "…") : null;

    /// <summary>Gets the English text.</summary>
    public override string ToString() => Text(CultureInfo.InvariantCulture);

    [System.Text.RegularExpressions.GeneratedRegex(@"\{\d+(:[^}]*)?\}")]
    private static partial System.Text.RegularExpressions.Regex ValuePlaceholder();
}
