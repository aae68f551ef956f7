using MailKit.Net.Smtp;
using MailKit.Security;

namespace SystemMail.Tests.Infrastructure;

/// <summary>
/// Stands in for the OAuth2 token source (not built yet): authenticates with XOAUTH2 and a token the test sets.
/// The server on the other end is real.
/// </summary>
internal sealed class StaticTokenAuthenticator(string token) : ISmtpAuthenticator
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public Task PrepareAsync(SmtpSettings settings, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task AuthenticateAsync(SmtpClient client, SmtpSettings settings, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return client.AuthenticateAsync(new SaslMechanismOAuth2(settings.Username ?? string.Empty, token), cancellationToken);
    }
}
