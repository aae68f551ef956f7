using MimeKit;

namespace SystemMail.Tests.Infrastructure.Graph;

/// <summary>A mail the Graph test server accepted: the mailbox of the URL, the MIME bytes it decoded, and who sent it.</summary>
/// <param name="Mailbox">The <c>{mailbox}</c> of <c>/v1.0/users/{mailbox}/sendMail</c>.</param>
/// <param name="Mime">The request body, base64-decoded: the MIME message as the client built it.</param>
/// <param name="ClientId">The application the access token was issued to.</param>
/// <param name="Scope">The scopes of the access token.</param>
/// <param name="AccessToken">The bearer token it came with.</param>
public sealed record GraphReceivedMail(string Mailbox, byte[] Mime, string ClientId, string Scope, string AccessToken)
{
    /// <summary>Parses <see cref="Mime"/>.</summary>
    public MimeMessage Parse() => MimeMessage.Load(new MemoryStream(Mime));
}
