using MimeKit;

namespace SystemMail;

/// <summary>Checks the values a caller passes before they reach a header or a link.</summary>
internal static class MailArguments
{
    /// <summary>
    /// Parses a recipient given to one of the system mails: text that is no address at all (empty, a line break, no
    /// <c>@</c>) is the caller's mistake (<see cref="ArgumentException"/>); an address the mailer will not send to (not
    /// bare, too long, a character that changes the text direction) is a <see cref="SystemMailException"/> of kind
    /// <see cref="SystemMailErrorKind.InvalidRecipient"/>, as it usually comes from what a user typed.
    /// </summary>
    public static MailboxAddress Recipient(string? to, string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(to, parameterName);
        RejectLineBreaks(to, parameterName);
        if (MailAddressRules.HasDirectionControl(to))
        {
            throw InvalidRecipient("The recipient address contains a character that changes the text direction.", Hints.AddressDirectionControl);
        }

        if (!MailboxAddress.TryParse(ParserOptions.Default, to, out var mailbox) ||
            mailbox.Address.IndexOf('@', StringComparison.Ordinal) is <= 0 ||
            mailbox.Address.EndsWith('@'))
        {
            throw new ArgumentException("The recipient is not a valid mail address.", parameterName);
        }

        if (!string.IsNullOrEmpty(mailbox.Name) || mailbox.Route.Count > 0 || to.AsSpan().IndexOfAny('<', '(') >= 0)
        {
            throw InvalidRecipient("The recipient must be a bare address, without a display name, comment or route.", Hints.RecipientNotBare);
        }

        RecipientAddress(mailbox);
        return mailbox;
    }

    /// <summary>Checks one recipient of a message the host made: its address may have a display name, not the rest.</summary>
    public static void RecipientAddress(MailboxAddress mailbox)
    {
        if (MailAddressRules.HasDirectionControl(mailbox.Address) || MailAddressRules.HasDirectionControl(mailbox.Name))
        {
            throw InvalidRecipient("A recipient address contains a character that changes the text direction.", Hints.AddressDirectionControl);
        }

        if (mailbox.Route.Count > 0)
        {
            throw InvalidRecipient("A recipient address has a source route.", Hints.RecipientNotBare);
        }

        if (MailAddressRules.IsTooLong(mailbox))
        {
            throw InvalidRecipient(
                $"A recipient address is longer than {MailAddressRules.MaxAddressOctets} octets, or its local part longer than {MailAddressRules.MaxLocalPartOctets}.",
                Hints.AddressTooLong);
        }
    }

    private static SystemMailException InvalidRecipient(string message, Hint hint) =>
        new(SystemMailErrorKind.InvalidRecipient, message, hint);

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
