namespace SystemMail;

/// <summary>Reads the command a line the client sent starts with, never more of it (the rest may be a credential).</summary>
internal static class SmtpCommandLine
{
    /// <summary>Enough for "AUTH SCRAM-SHA-256-PLUS"; the rest of a line (an initial SASL response) is never buffered.</summary>
    public const int PrefixLength = 32;

    private static readonly HashSet<string> Commands = new(StringComparer.Ordinal)
    {
        "EHLO", "HELO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA", "BDAT", "RSET", "NOOP", "QUIT",
    };

    /// <summary>The verb of a command line, in upper case, and the SASL mechanism of <c>AUTH</c>.</summary>
    /// <param name="prefix">The first <see cref="PrefixLength"/> characters of the line, or fewer.</param>
    /// <param name="mechanism">The mechanism <c>AUTH</c> names, else <see langword="null"/>.</param>
    /// <returns>The verb, or <see langword="null"/> for a line that is no command (a SASL continuation, say).</returns>
    public static string? Verb(string prefix, out string? mechanism)
    {
        mechanism = null;
        var parts = prefix.TrimEnd('\r', '\n').Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            return null;
        }

        var verb = parts[0].ToUpperInvariant();
        if (!Commands.Contains(verb))
        {
            return null;
        }

        if (verb == "AUTH" && parts.Length > 1)
        {
            mechanism = parts[1].ToUpperInvariant();
        }

        return verb;
    }
}
