namespace SystemMail;

/// <summary>
/// The table of server replies SystemMail recognizes, with the failure kind and the hint each one gets. The first
/// matching row wins, so specific rows (a provider's own text) come before general ones (any 535).
/// </summary>
/// <remarks>
/// <para>A row names a provider only where the reply is ambiguous on its own: <c>535 5.7.8</c> is RFC 4954's
/// "credentials invalid" from every server, and only Google's means "use an app password". Texts that one provider
/// alone sends (Office 365's <c>5.7.139</c>, SendGrid's "Sender Identity") match whoever sends them.</para>
/// <para>The provider is the template's, or recognized from the host name, so a custom template pointing at
/// <c>smtp.office365.com</c> gets Office 365's hints too.</para>
/// </remarks>
internal static class KnownSmtpReplies
{
    private static readonly Row[] Rows =
    [
        // Any command: the server wants TLS first (Office 365: "451 5.7.3 STARTTLS is required to send mail").
        new(SmtpCommand.Any, Text: ["STARTTLS is required", "Must issue a STARTTLS", "STARTTLS first"], Kind: SystemMailErrorKind.Configuration, Hint: _ => Hints.StartTlsRequired),

        // AUTH, Office 365.
        new(SmtpCommand.Auth, Text: ["SmtpClientAuthentication is disabled"], Hint: _ => Hints.Office365SmtpAuthDisabled),
        new(SmtpCommand.Auth, Text: ["security defaults", "basic authentication is disabled", "did not meet the criteria"], Hint: _ => Hints.Office365BasicAuthBlocked),
        new(SmtpCommand.Auth, Provider: SmtpProviderTemplates.Office365Id, OAuth2: true, Hint: _ => Hints.Office365OAuth2Refused),
        new(SmtpCommand.Auth, Enhanced: "5.7.139", Hint: _ => Hints.Office365AuthUnsuccessful),
        new(SmtpCommand.Auth, Provider: SmtpProviderTemplates.Office365Id, Hint: _ => Hints.Office365AuthUnsuccessful),

        // AUTH, Google: 534 5.7.9 and 5.7.14 are Google's own; MailKit tries the next mechanism after a 534.
        new(SmtpCommand.Auth, Provider: SmtpProviderTemplates.GoogleId, OAuth2: true, Hint: _ => Hints.OAuth2TokenRefused),
        new(SmtpCommand.Auth, Text: ["Application-specific password required"], Hint: _ => Hints.GoogleAppPasswordRequired),
        new(SmtpCommand.Auth, Provider: SmtpProviderTemplates.GoogleId, Enhanced: "5.7.9", Hint: _ => Hints.GoogleAppPasswordRequired),
        new(SmtpCommand.Auth, Provider: SmtpProviderTemplates.GoogleId, Enhanced: "5.7.14", Hint: _ => Hints.GoogleWebLoginRequired),
        new(SmtpCommand.Auth, Provider: SmtpProviderTemplates.GoogleId, Hint: _ => Hints.GoogleCredentials),

        // AUTH, SendGrid.
        new(SmtpCommand.Auth, Text: ["authorization grant is invalid, expired, or revoked"], Hint: _ => Hints.SendGridApiKeyRevoked),
        new(SmtpCommand.Auth, Provider: SmtpProviderTemplates.SendGridId, Hint: _ => Hints.SendGridCredentials),

        // AUTH, anyone else.
        new(SmtpCommand.Auth, OAuth2: true, Hint: _ => Hints.OAuth2TokenRefused),
        new(SmtpCommand.Auth, Hint: _ => Hints.WrongCredentials),

        // MAIL FROM without login (Office 365 "530 5.7.57 Client not authenticated to send mail", Gmail "530 5.7.0
        // Authentication Required"), then senders the account may not use.
        new(SmtpCommand.MailFrom, Provider: SmtpProviderTemplates.Office365Id, Enhanced: "5.7.57", Kind: SystemMailErrorKind.Authentication, Hint: _ => Hints.Office365NotAuthenticated),
        new(SmtpCommand.MailFrom, Code: 530, Kind: SystemMailErrorKind.Authentication, Hint: _ => Hints.AuthenticationRequired),
        new(SmtpCommand.MailFrom, Text: ["not authenticated", "authentication required"], Kind: SystemMailErrorKind.Authentication, Hint: _ => Hints.AuthenticationRequired),
        new(SmtpCommand.Any, Text: ["Sender Identity"], Kind: SystemMailErrorKind.SenderRejected, Hint: _ => Hints.SendGridSenderIdentity),
        new(SmtpCommand.MailFrom, Provider: SmtpProviderTemplates.SendGridId, Kind: SystemMailErrorKind.SenderRejected, Hint: _ => Hints.SendGridSenderIdentity),
        new(SmtpCommand.MailFrom, Provider: SmtpProviderTemplates.Office365Id, Enhanced: "5.7.60", Kind: SystemMailErrorKind.SenderRejected, Hint: s => Hints.Office365SendAs(s.From.Address)),
    ];

    /// <summary>Finds the row for a reply to <paramref name="command"/>, or <see langword="null"/>.</summary>
    /// <param name="command">The command the reply answered.</param>
    /// <param name="reply">The reply, or <see langword="null"/> when the failure came without one: only rows that ask nothing of the reply match.</param>
    /// <param name="settings">The settings of the connection.</param>
    public static (SystemMailErrorKind Kind, Hint Hint)? Match(SmtpCommand command, SmtpServerReply? reply, SmtpSettings settings)
    {
        var provider = ProviderOf(settings);
        var oauth2 = settings.Authentication == SmtpAuthenticationType.OAuth2;
        var temporary = reply?.StatusCode is >= 400 and < 500;
        foreach (var row in Rows)
        {
            // A temporary reply is only recognized by its text: "454 4.7.0 Try again later" from Google is not a
            // wrong password, but "451 5.7.3 STARTTLS is required" from Office 365 is a setting to fix.
            if (temporary && row.Text is null)
            {
                continue;
            }

            if ((row.Command == SmtpCommand.Any || row.Command == command) &&
                (row.Provider is null || row.Provider == provider) &&
                (row.OAuth2 is null || row.OAuth2 == oauth2) &&
                (row.Code is null || row.Code == reply?.StatusCode) &&
                (row.Enhanced is null || row.Enhanced == reply?.EnhancedStatusCode) &&
                (row.Text is null || row.Text.Any(t => reply?.Text.Contains(t, StringComparison.OrdinalIgnoreCase) == true)))
            {
                return (row.Kind ?? SystemMailErrorKind.Authentication, row.Hint(settings));
            }
        }

        return null;
    }

    /// <summary>The built-in provider a server belongs to: the template's id, or the one its host name says.</summary>
    public static string? ProviderOf(SmtpSettings settings)
    {
        foreach (var id in (string[])[SmtpProviderTemplates.GoogleId, SmtpProviderTemplates.Office365Id, SmtpProviderTemplates.SendGridId])
        {
            if (string.Equals(settings.Template.Id, id, StringComparison.OrdinalIgnoreCase))
            {
                return id;
            }
        }

        var host = settings.Host.TrimEnd('.');
        if (IsHostIn(host, "gmail.com", "googlemail.com", "google.com"))
        {
            return SmtpProviderTemplates.GoogleId;
        }

        if (IsHostIn(host, "office365.com", "outlook.com"))
        {
            return SmtpProviderTemplates.Office365Id;
        }

        return IsHostIn(host, "sendgrid.net") ? SmtpProviderTemplates.SendGridId : null;
    }

    private static bool IsHostIn(string host, params string[] domains) =>
        domains.Any(d => host.Equals(d, StringComparison.OrdinalIgnoreCase) || host.EndsWith("." + d, StringComparison.OrdinalIgnoreCase));

    /// <summary>One known reply: every condition given must hold.</summary>
    /// <param name="Command">The command the reply answered.</param>
    /// <param name="Hint">The hint, made from the settings (some name the From address).</param>
    /// <param name="Provider">The built-in provider id the server must belong to.</param>
    /// <param name="OAuth2">Whether the authentication must (or must not) be OAuth2.</param>
    /// <param name="Code">The reply code.</param>
    /// <param name="Enhanced">The enhanced status code.</param>
    /// <param name="Text">Texts of which the reply must contain one, ignoring case.</param>
    /// <param name="Kind">The failure kind; <see cref="SystemMailErrorKind.Authentication"/> when not given.</param>
    private sealed record Row(
        SmtpCommand Command,
        Func<SmtpSettings, Hint> Hint,
        string? Provider = null,
        bool? OAuth2 = null,
        int? Code = null,
        string? Enhanced = null,
        string[]? Text = null,
        SystemMailErrorKind? Kind = null);
}
