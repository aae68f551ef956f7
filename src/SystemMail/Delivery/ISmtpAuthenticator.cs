using MailKit.Net.Smtp;

namespace SystemMail;

/// <summary>Authenticates a connected client with OAuth2 (XOAUTH2); provided by the OAuth2 feature.</summary>
internal interface ISmtpAuthenticator
{
    Task AuthenticateAsync(SmtpClient client, SmtpSettings settings, bool forceTokenRefresh, CancellationToken cancellationToken);
}
