using System.Globalization;

namespace SystemMail;

/// <summary>
/// The variables each system mail's templates may use, the one a mail exists for (its link or code), and sample values
/// for previews and test sends of an edited template.
/// </summary>
internal static class MailVariables
{
    /// <summary>The values every mail has, from the product settings and the recipient.</summary>
    public static readonly IReadOnlyList<string> Common = ["product_name", "product_url", "support_address", "recipient"];

    /// <summary>The lifetime the samples show for a link.</summary>
    private static readonly TimeSpan SampleLinkLifetime = TimeSpan.FromHours(24);

    /// <summary>The lifetime the samples show for a code.</summary>
    private static readonly TimeSpan SampleCodeLifetime = TimeSpan.FromMinutes(15);

    /// <summary>Gets the variables of the mail's own, beside <see cref="Common"/>.</summary>
    public static IReadOnlyList<string> Own(SystemMailKind kind) => kind switch
    {
        SystemMailKind.Activation or SystemMailKind.PasswordReset => ["link", "lifetime", "lifetime_minutes"],
        SystemMailKind.AccountActivated or SystemMailKind.PasswordWasReset => ["link"],
        SystemMailKind.AccountLockedOut => ["lockout_end", "link"],
        SystemMailKind.VerificationCode or SystemMailKind.PasswordResetCode => ["code", "lifetime", "lifetime_minutes"],
        SystemMailKind.Test => ["endpoint", "provider"],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown mail kind."),
    };

    /// <summary>
    /// Gets the variable the mail exists for, which its HTML and its text must show: the activation or reset link, or
    /// the code. <see langword="null"/> for the mails that only inform (their link, the sign-in page, is optional).
    /// </summary>
    public static string? Required(SystemMailKind kind) => kind switch
    {
        SystemMailKind.Activation or SystemMailKind.PasswordReset => "link",
        SystemMailKind.VerificationCode or SystemMailKind.PasswordResetCode => "code",
        _ => null,
    };

    /// <summary>Gets the variables a part may use: the subject is rendered first, so only the bodies may use <c>subject</c>.</summary>
    public static HashSet<string> Known(SystemMailKind kind, bool isSubject)
    {
        var known = new HashSet<string>(Common, StringComparer.Ordinal);
        known.UnionWith(Own(kind));
        if (!isSubject)
        {
            known.Add("subject");
        }

        return known;
    }

    /// <summary>Writes a lifetime the way the mails show it: in words of the culture, and as minutes.</summary>
    public static void AddLifetime(IDictionary<string, string> values, TimeSpan lifetime, CultureInfo culture)
    {
        values["lifetime"] = DurationText.Format(lifetime, culture);
        values["lifetime_minutes"] = ((long)Math.Ceiling(lifetime.TotalMinutes)).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Adds the mail's own variables with sample values (a link under the product's address, a code), for a preview or a test send.</summary>
    public static void AddSamples(SystemMailKind kind, IDictionary<string, string> values, CultureInfo culture, Uri? productUrl, DateTimeOffset now)
    {
        var site = productUrl ?? new Uri("https://www.example.com/");
        switch (kind)
        {
            case SystemMailKind.Activation:
                values["link"] = new Uri(site, "account/activate?token=sample-activation-token").AbsoluteUri;
                AddLifetime(values, SampleLinkLifetime, culture);
                break;
            case SystemMailKind.PasswordReset:
                values["link"] = new Uri(site, "account/reset-password?token=sample-reset-token").AbsoluteUri;
                AddLifetime(values, SampleLinkLifetime, culture);
                break;
            case SystemMailKind.AccountActivated:
            case SystemMailKind.PasswordWasReset:
                values["link"] = new Uri(site, "account/sign-in").AbsoluteUri;
                break;
            case SystemMailKind.AccountLockedOut:
                values["lockout_end"] = now.AddMinutes(30).ToUniversalTime().ToString("f", culture) + " UTC";
                values["link"] = new Uri(site, "account/unlock?token=sample-unlock-token").AbsoluteUri;
                break;
            case SystemMailKind.VerificationCode:
                values["code"] = "482916";
                AddLifetime(values, SampleCodeLifetime, culture);
                break;
            case SystemMailKind.PasswordResetCode:
                values["code"] = "SAMPLE-RESET-CODE-7F3C";
                AddLifetime(values, SampleCodeLifetime, culture);
                break;
        }
    }
}
