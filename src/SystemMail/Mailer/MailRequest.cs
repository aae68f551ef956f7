using System.Globalization;
using MimeKit;

namespace SystemMail;

/// <summary>
/// One system mail asked for with checked arguments: its kind, recipient, culture and the template values it adds.
/// The mailer composes and sends it at once; the outbox composes it at once and sends it later.
/// </summary>
internal sealed class MailRequest
{
    private MailRequest(SystemMailKind kind, MailboxAddress recipient, CultureInfo? culture, TimeSpan? lifetime, Action<Dictionary<string, string>, CultureInfo>? addValues, Uri? link = null)
    {
        Kind = kind;
        Link = link;
        Recipient = recipient;
        Culture = culture ?? CultureInfo.CurrentUICulture;
        Lifetime = lifetime;
        AddValues = addValues;
    }

    public SystemMailKind Kind { get; }

    /// <summary>Gets the mail's link, when it has one: it must point at the product (see <c>LinkOrigins</c>).</summary>
    public Uri? Link { get; }

    public MailboxAddress Recipient { get; }

    public CultureInfo Culture { get; }

    /// <summary>Gets how long the link or code in the mail stays valid, when the mail has one.</summary>
    public TimeSpan? Lifetime { get; }

    public Action<Dictionary<string, string>, CultureInfo>? AddValues { get; }

    public static MailRequest Activation(string recipient, Uri activationLink, TimeSpan linkLifetime, CultureInfo? culture) =>
        LinkWithLifetime(SystemMailKind.Activation, recipient, activationLink, nameof(activationLink), linkLifetime, nameof(linkLifetime), culture);

    public static MailRequest AccountActivated(string recipient, Uri loginLink, CultureInfo? culture) =>
        WithLink(SystemMailKind.AccountActivated, recipient, loginLink, nameof(loginLink), culture);

    public static MailRequest PasswordReset(string recipient, Uri resetLink, TimeSpan linkLifetime, CultureInfo? culture) =>
        LinkWithLifetime(SystemMailKind.PasswordReset, recipient, resetLink, nameof(resetLink), linkLifetime, nameof(linkLifetime), culture);

    public static MailRequest PasswordWasReset(string recipient, Uri loginLink, CultureInfo? culture) =>
        WithLink(SystemMailKind.PasswordWasReset, recipient, loginLink, nameof(loginLink), culture);

    public static MailRequest AccountLockedOut(string recipient, DateTimeOffset? lockoutEnd, Uri? unlockLink, CultureInfo? culture)
    {
        var mailbox = MailArguments.Recipient(recipient, nameof(recipient));
        if (lockoutEnd is null && unlockLink is null)
        {
            throw new ArgumentException("Give the lockout end, the unlock link or both.", nameof(lockoutEnd));
        }

        if (unlockLink is not null)
        {
            MailArguments.Link(unlockLink, nameof(unlockLink));
        }

        return new(SystemMailKind.AccountLockedOut, mailbox, culture, lifetime: null, (values, c) =>
        {
            values["lockout_end"] = lockoutEnd is { } end ? end.ToUniversalTime().ToString("f", c) + " UTC" : string.Empty;
            values["link"] = unlockLink?.AbsoluteUri ?? string.Empty;
        }, unlockLink);
    }

    public static MailRequest VerificationCode(string recipient, string code, TimeSpan codeLifetime, CultureInfo? culture) =>
        Code(SystemMailKind.VerificationCode, recipient, code, maxLength: 64, codeLifetime, culture);

    // ASP.NET Core Identity's reset codes are Base64Url-encoded Data Protection tokens: a few hundred characters.
    public static MailRequest PasswordResetCode(string recipient, string code, TimeSpan codeLifetime, CultureInfo? culture) =>
        Code(SystemMailKind.PasswordResetCode, recipient, code, maxLength: 1024, codeLifetime, culture);

    public static MailRequest Test(string recipient, CultureInfo? culture) =>
        new(SystemMailKind.Test, MailArguments.Recipient(recipient, nameof(recipient)), culture, lifetime: null, addValues: null);

    private static MailRequest WithLink(SystemMailKind kind, string recipient, Uri link, string linkName, CultureInfo? culture)
    {
        var mailbox = MailArguments.Recipient(recipient, nameof(recipient));
        MailArguments.Link(link, linkName);
        return new(kind, mailbox, culture, lifetime: null, (values, _) => values["link"] = link.AbsoluteUri, link);
    }

    private static MailRequest LinkWithLifetime(SystemMailKind kind, string recipient, Uri link, string linkName, TimeSpan lifetime, string lifetimeName, CultureInfo? culture)
    {
        var mailbox = MailArguments.Recipient(recipient, nameof(recipient));
        MailArguments.Link(link, linkName);
        MailArguments.Lifetime(lifetime, lifetimeName);
        return new(kind, mailbox, culture, lifetime, (values, c) =>
        {
            values["link"] = link.AbsoluteUri;
            MailVariables.AddLifetime(values, lifetime, c);
        }, link);
    }

    private static MailRequest Code(SystemMailKind kind, string recipient, string code, int maxLength, TimeSpan lifetime, CultureInfo? culture)
    {
        var mailbox = MailArguments.Recipient(recipient, nameof(recipient));
        var checkedCode = MailArguments.Code(code, nameof(code), maxLength);
        MailArguments.Lifetime(lifetime, "codeLifetime");
        return new(kind, mailbox, culture, lifetime, (values, c) =>
        {
            values["code"] = checkedCode;
            MailVariables.AddLifetime(values, lifetime, c);
        });
    }
}
