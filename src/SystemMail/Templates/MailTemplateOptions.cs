using System.Globalization;

namespace SystemMail;

/// <summary>The host's template overrides, keyed by mail kind and culture name ("" for every culture).</summary>
internal sealed class MailTemplateOptions
{
    public Dictionary<(SystemMailKind Kind, string Culture), MailTemplate> Overrides { get; } = [];

    public static string NormalizeCulture(string? culture) =>
        string.IsNullOrWhiteSpace(culture) ? string.Empty : CultureInfo.GetCultureInfo(culture.Trim()).Name;
}
