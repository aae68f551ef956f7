using System.Globalization;
using System.Text.RegularExpressions;

namespace SystemMail;

/// <summary>
/// Reads a failure of the DataAnnotations attributes (<see cref="SystemMailOptionsRangeValidator"/>), such as
/// <c>Port: The field SystemMailOptions.Port must be between 1 and 65535.</c>, as a <see cref="ValidationError"/> with
/// its setting and message id, so the admin endpoints show it in the administrator's language like the rules' own.
/// </summary>
/// <remarks>
/// The attributes write English alone; their sentences are the English texts of the ids below, so a failure that
/// matches one is that message with the values it holds. Any other failure stays as it is.
/// </remarks>
internal static partial class AttributeFailures
{
    private static readonly string[] Ids = ["RangeBetweenExclusive", "RangeBetween", "FromRequired", "ProductNameRequired"];

    private static readonly (string Id, Regex Pattern)[] Patterns = [.. Ids.Select(id => (id, Pattern(new ValidationMessage(id).Format)))];

    /// <summary>Reads <paramref name="failure"/>; a failure of no known shape is a <see cref="ValidationMessage.Verbatim"/> one for the whole settings.</summary>
    public static ValidationError Read(string failure)
    {
        var field = Field().Match(failure);
        if (field.Success)
        {
            var display = field.Groups["display"].Value;
            var member = field.Groups["member"].Value;
            var path = display[(display.IndexOf('.', StringComparison.Ordinal) + 1)..];
            var text = field.Groups["text"].Value;
            if (path == member || path.EndsWith("." + member, StringComparison.Ordinal))
            {
                foreach (var (id, pattern) in Patterns)
                {
                    if (pattern.Match(text) is { Success: true } match)
                    {
                        return new ValidationError(path, new ValidationMessage(id, [.. match.Groups.Cast<Group>().Skip(1).Select(g => (object?)g.Value)]));
                    }
                }
            }
        }

        return new ValidationError(null, ValidationMessage.Verbatim(failure));
    }

    // The English text as a pattern: each {n} a value.
    private static Regex Pattern(string english) =>
        new("^" + Regex.Replace(Regex.Escape(english), @"\\\{\d+}", "(.+?)") + "$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    [GeneratedRegex(@"^(?<member>\w+): The field (?<display>[\w.]+) (?<text>.+)$", RegexOptions.CultureInvariant | RegexOptions.Singleline, 1000)]
    private static partial Regex Field();
}
