using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;

namespace SystemMail;

/// <summary>
/// Sends through Microsoft Graph: the MIME message SystemMail built, byte for byte, posted to the mailbox's
/// <c>sendMail</c> with an access token from the token service (client credentials or the stored delegated tokens).
/// The generation's pool slots bound the requests in flight, as they bound SMTP connections
/// (<see cref="SystemMailOptions.PoolSize"/>; Graph allows four at once per mailbox).
/// </summary>
/// <remarks>A 401 gets one fresh token and one more try, as a refused XOAUTH2 login does (<see cref="XOAuth2Authenticator"/>).</remarks>
internal sealed class GraphMailTransport : IMailTransport
{
    private readonly GraphSender _sender;
    private readonly OAuthTokenManager _tokens;
    private readonly ILogger _logger;

    public GraphMailTransport(GraphSender sender, OAuthTokenManager tokens, ILogger<GraphMailTransport>? logger = null)
    {
        _sender = sender;
        _tokens = tokens;
        _logger = logger ?? NullLogger<GraphMailTransport>.Instance;
    }

    public async Task<string> SendAsync(MailGeneration generation, MimeMessage message, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var settings = generation.Settings;
        var body = GraphMime.Encode(message, cancellationToken);
        var partition = generation.Connections;
        await partition.WaitForSlotAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var reply = await PostAsync(settings, body, cancellationToken).ConfigureAwait(false);
            return reply.Succeeded ? reply.Text : throw GraphFailureClassifier.Classify(reply, settings);
        }
        finally
        {
            partition.ReleaseSlot();
        }
    }

    /// <summary>Posts with the current token; after a 401, once more with a fresh one. Returns Graph's last answer.</summary>
    internal async Task<GraphReply> PostAsync(SmtpSettings settings, byte[] body, CancellationToken cancellationToken)
    {
        var oauth = settings.OAuth2 ?? throw new SystemMailException(
            SystemMailErrorKind.Configuration, "Microsoft Graph needs OAuth2 authentication.", Hints.OAuth2NotConfigured);
        var token = await _tokens.GetAccessTokenAsync(oauth, rejectedAccessToken: null, cancellationToken).ConfigureAwait(false);
        var reply = await _sender.PostAsync(settings, token, body, cancellationToken).ConfigureAwait(false);
        if (reply.StatusCode == 401)
        {
            // The token may have been revoked or expired early: one fresh token, one more try.
            Log.GraphAccessTokenRejected(_logger, settings.Username ?? string.Empty, reply.ErrorCode ?? "401", reply.RequestId ?? "none");
            var fresh = await _tokens.GetAccessTokenAsync(oauth, rejectedAccessToken: token, cancellationToken).ConfigureAwait(false);
            reply = await _sender.PostAsync(settings, fresh, body, cancellationToken).ConfigureAwait(false);
        }

        return reply;
    }
}
