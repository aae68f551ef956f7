using System.Globalization;
using System.Text.RegularExpressions;

namespace SystemMail;

/// <summary>An SMTP reply pulled out of an exception: the code, the enhanced code and the text.</summary>
internal readonly partial record struct SmtpReply(int? StatusCode, string? EnhancedStatusCode, string? Text)
{
    public static SmtpReply From(int statusCode, string? text) =>
        new(statusCode, ParseEnhancedCode(text), text?.Trim());

    /// <summary>Reads MailKit's "535: 5.7.8 Username and Password not accepted" authentication messages.</summary>
    public static SmtpReply FromAuthenticationMessage(string message)
    {
        var match = CodePrefix().Match(message);
        return match.Success
            ? From(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), match.Groups[2].Value)
            : new SmtpReply(null, ParseEnhancedCode(message), message);
    }

    public static string? ParseEnhancedCode(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var match = EnhancedCode().Match(text);
        return match.Success ? match.Value : null;
    }

    [GeneratedRegex(@"\b[245]\.\d{1,3}\.\d{1,3}\b", RegexOptions.CultureInvariant)]
    private static partial Regex EnhancedCode();

    [GeneratedRegex(@"^\s*(\d{3}):?\s*(.*)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex CodePrefix();
}
