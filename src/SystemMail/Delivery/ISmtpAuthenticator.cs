using MailKit.Net.Smtp;

namespace SystemMail;

/// <summary>Authenticates a connected client with OAuth2 (XOAUTH2); provided by the OAuth2 feature.</summary>
internal interface ISmtpAuthenticator
{
    /// <summary>Gets what authentication needs (the access token) before the connection's timeout starts, so a slow token endpoint is reported as such.</summary>
    Task PrepareAsync(SmtpSettings settings, CancellationToken cancellationToken);

    Task AuthenticateAsync(SmtpClient client, SmtpSettings settings, CancellationToken cancellationToken);
}
