using System.Globalization;

namespace SystemMail;

/// <summary>
/// What a validation rule says about one setting: a stable id and the values put in its text. The text is a resource,
/// <c>Configuration/Resources/Validation.resx</c> (English) and its translations, chosen where the message is shown: in
/// English in the start-up failure and the logs, in the administrator's language on the admin endpoints.
/// </summary>
/// <remarks>
/// A value may itself be a <see cref="ValidationMessage"/> (a phrase that is translated too), a list made with
/// <see cref="OneOf"/>, or any value, formatted for the culture shown in. Never a secret: the rules leave out values that
/// may carry one (a host such as <c>user:password@host</c>).
/// </remarks>
internal sealed class ValidationMessage
{
    private const string OrSeparator = "ListOr";
    private static readonly LocalizedTexts Texts = new("SystemMail.Configuration.Resources.Validation");
    private readonly object?[] _arguments;
    private readonly string? _verbatim;

    /// <param name="id">The stable id, the name of the text in the resources.</param>
    /// <param name="arguments">The values put in the text.</param>
    public ValidationMessage(string id, params object?[] arguments)
    {
        Id = id;
        _arguments = arguments;
    }

    private ValidationMessage(string verbatim)
    {
        Id = string.Empty;
        _verbatim = verbatim;
        _arguments = [];
    }

    /// <summary>Gets the stable id, such as <c>HostRequired</c>; empty for a <see cref="Verbatim"/> text.</summary>
    public string Id { get; }

    /// <summary>Gets the English text with its placeholders, before the values are put in it.</summary>
    public string Format => _verbatim ?? Texts.Get(Id, CultureInfo.InvariantCulture);

    /// <summary>Gets the values put in the text.</summary>
    public IReadOnlyList<object?> Arguments => _arguments;

    /// <summary>A text that has no resource, shown as it is in every language: one a host's own validator or an attribute wrote.</summary>
    public static ValidationMessage Verbatim(string text) => new(text);

    /// <summary>Alternatives, joined with the language's "or": <c>Basic or OAuth2</c>.</summary>
    public static ValidationMessage OneOf(IEnumerable<object> items) => new(OrSeparator, [.. items]);

    /// <summary>Gets the language the messages are shown in for <paramref name="culture"/>, such as <c>zh-Hans</c> or <c>en</c>.</summary>
    public static string LanguageOf(CultureInfo? culture) => Texts.LanguageOf(culture);

    /// <summary>Gets the text in <paramref name="culture"/>'s language, English when it has none or is <see langword="null"/>.</summary>
    public string Text(CultureInfo? culture)
    {
        if (_verbatim is not null)
        {
            return _verbatim;
        }

        var format = culture ?? CultureInfo.InvariantCulture;
        // Numbers and dates stay values, so the text's format ({0:N0}) applies them in the culture.
        var values = Array.ConvertAll(_arguments, a => a is ValidationMessage message ? message.Text(culture) : a);

        return Id == OrSeparator
            ? string.Join(Texts.Get(OrSeparator, culture), values.Select(v => Convert.ToString(v, format)))
            : string.Format(format, Texts.Get(Id, culture), values);
    }

    /// <summary>Gets the English text, as start-up validation and the logs show it.</summary>
    public override string ToString() => Text(CultureInfo.InvariantCulture);
}
