using System.Globalization;
using System.Text.RegularExpressions;

namespace SystemMail;

/// <summary>A reply of the SMTP server: the status code, the enhanced status code and the text, as the server sent them.</summary>
public sealed partial class SmtpServerReply
{
    /// <summary>Gets the reply code, such as <c>535</c>.</summary>
    public required int StatusCode { get; init; }

    /// <summary>Gets the enhanced status code (RFC 3463), such as <c>5.7.8</c>, or <see langword="null"/> when the reply had none.</summary>
    public string? EnhancedStatusCode { get; init; }

    /// <summary>Gets the text after the code; the lines of a multi-line reply are joined with a line feed.</summary>
    public required string Text { get; init; }

    /// <summary>Returns the reply as the server sent it on one line.</summary>
    /// <returns>Such as <c>535 5.7.8 Username and Password not accepted</c>.</returns>
    public override string ToString() => $"{StatusCode} {Text.Replace('\n', ' ')}";

    /// <summary>A reply from its code and text, as MailKit hands them over; the enhanced code is read from the text.</summary>
    internal static SmtpServerReply From(int statusCode, string? text)
    {
        var trimmed = text?.Trim() ?? string.Empty;
        return new SmtpServerReply { StatusCode = statusCode, EnhancedStatusCode = ParseEnhancedCode(trimmed), Text = trimmed };
    }

    /// <summary>A complete reply from its lines (the text after the code of each), as the server sent them.</summary>
    internal static SmtpServerReply FromLines(int statusCode, IReadOnlyList<string> lines) => new()
    {
        StatusCode = statusCode,
        EnhancedStatusCode = ParseEnhancedCode(lines.Count > 0 ? lines[0] : null),
        Text = string.Join('\n', lines),
    };

    /// <summary>
    /// Reads MailKit's "535: 5.7.8 Username and Password not accepted" authentication messages; <see langword="null"/>
    /// when the message carries no reply code (MailKit's own words, not the server's).
    /// </summary>
    internal static SmtpServerReply? FromAuthenticationMessage(string message)
    {
        var match = CodePrefix().Match(message);
        return match.Success ? From(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), match.Groups[2].Value) : null;
    }

    /// <summary>Reads one line of a reply: <c>250-PIPELINING</c> continues it, <c>250 OK</c> or a bare <c>250</c> ends it.</summary>
    /// <returns>The code, or 0 when the line does not start with one.</returns>
    internal static int ParseLine(string line, out bool last, out string text)
    {
        var code = line.Length >= 3 && int.TryParse(line.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
        last = line.Length == 3 || (line.Length > 3 && line[3] == ' ');
        text = line.Length > 4 ? line[4..] : string.Empty;
        return code;
    }

    /// <summary>Gets whether <paramref name="line"/> has the shape of an SMTP reply line: a 2xx-5xx code, then a space, a hyphen or nothing.</summary>
    internal static bool IsReplyLine(string line) =>
        line.Length >= 3 && line[0] is >= '2' and <= '5' && char.IsAsciiDigit(line[1]) && char.IsAsciiDigit(line[2]) &&
        (line.Length == 3 || line[3] is ' ' or '-');

    internal static string? ParseEnhancedCode(string? text)
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
