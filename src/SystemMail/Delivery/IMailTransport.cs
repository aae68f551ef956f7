using MimeKit;

namespace SystemMail;

/// <summary>
/// The seam below <see cref="ISystemMailer"/>: hands one composed message to the provider, over SMTP
/// (<see cref="SmtpConnectionPool"/>) or Microsoft Graph (<see cref="GraphMailTransport"/>). The mailer picks the
/// transport of each mail's generation (<see cref="SmtpSettings.Transport"/>), so a host chooses by settings alone.
/// </summary>
internal interface IMailTransport
{
    /// <summary>Sends <paramref name="message"/> as it is, under <paramref name="generation"/>; one attempt, for the retry policy to repeat.</summary>
    /// <returns>What the provider answered, for logs (an SMTP reply, or Graph's status and request id).</returns>
    /// <exception cref="SystemMailException">The provider refused the message or could not be reached.</exception>
    Task<string> SendAsync(MailGeneration generation, MimeMessage message, CancellationToken cancellationToken);
}
