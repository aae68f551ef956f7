using MimeKit;

namespace SystemMail;

/// <summary>Checks the values a caller passes before they reach a header or a link.</summary>
internal static class MailArguments
{
    public static MailboxAddress Recipient(string? to, string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(to, parameterName);
        RejectLineBreaks(to, parameterName);
        if (!MailboxAddress.TryParse(ParserOptions.Default, to, out var mailbox) ||
            mailbox.Address.IndexOf('@', StringComparison.Ordinal) is <= 0 ||
            mailbox.Address.EndsWith('@'))
        {
            throw new ArgumentException($"'{to}' is not a valid mail address.", parameterName);
        }

        return mailbox;
    }

    public static Uri Link(Uri? link, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(link, parameterName);
        if (!link.IsAbsoluteUri || (link.Scheme != Uri.UriSchemeHttps && link.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"The link must be an absolute http or https URI; got '{link.OriginalString}'.", parameterName);
        }

        RejectLineBreaks(link.OriginalString, parameterName);
        return link;
    }

    public static TimeSpan Lifetime(TimeSpan lifetime, string parameterName)
    {
        if (lifetime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(parameterName, lifetime, "The lifetime must be positive.");
        }

        return lifetime;
    }

    public static string Code(string? code, string parameterName, int maxLength = 64)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code, parameterName);
        RejectLineBreaks(code, parameterName);
        if (code.Length > maxLength)
        {
            throw new ArgumentException($"The code must be at most {maxLength} characters long.", parameterName);
        }

        return code.Trim();
    }

    public static void RejectLineBreaks(string value, string parameterName)
    {
        if (value.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException("The value must not contain a line break (CR or LF).", parameterName);
        }
    }
}
