using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SystemMail;

/// <summary>Authenticates with XOAUTH2; when the server refuses the access token, refreshes it once and tries again.</summary>
internal sealed class XOAuth2Authenticator : ISmtpAuthenticator
{
    private readonly OAuthTokenManager _tokens;
    private readonly ILogger _logger;

    public XOAuth2Authenticator(OAuthTokenManager tokens, ILogger<XOAuth2Authenticator>? logger = null)
    {
        _tokens = tokens;
        _logger = logger ?? NullLogger<XOAuth2Authenticator>.Instance;
    }

    public async Task PrepareAsync(SmtpSettings settings, CancellationToken cancellationToken)
    {
        var oauth = settings.OAuth2 ?? throw new InvalidOperationException("OAuth2 settings are missing.");
        await _tokens.GetAccessTokenAsync(oauth, rejectedAccessToken: null, cancellationToken).ConfigureAwait(false);
    }

    public async Task AuthenticateAsync(SmtpClient client, SmtpSettings settings, CancellationToken cancellationToken)
    {
        var oauth = settings.OAuth2 ?? throw new InvalidOperationException("OAuth2 settings are missing.");
        var token = await _tokens.GetAccessTokenAsync(oauth, rejectedAccessToken: null, cancellationToken).ConfigureAwait(false);
        try
        {
            await client.AuthenticateAsync(new SaslMechanismOAuth2(oauth.Username, token), cancellationToken).ConfigureAwait(false);
        }
        catch (AuthenticationException ex)
        {
            if (SmtpServerReply.FromAuthenticationMessage(ex.Message) is { StatusCode: >= 400 and < 500 })
            {
                throw;
            }

            // The token may have been revoked or expired early: one fresh token, one more try.
            Log.AccessTokenRejected(_logger, oauth.Username);
            var fresh = await _tokens.GetAccessTokenAsync(oauth, rejectedAccessToken: token, cancellationToken).ConfigureAwait(false);
            await client.AuthenticateAsync(new SaslMechanismOAuth2(oauth.Username, fresh), cancellationToken).ConfigureAwait(false);
        }
    }
}
