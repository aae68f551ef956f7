using System.Globalization;
using System.Text;
using MimeKit;

namespace SystemMail;

/// <summary>
/// The Microsoft Graph counterpart of <see cref="DiagnosticConversation"/>: the <see cref="SmtpDiagnosticStage.Token"/>
/// stage obtains an access token as a send does, then optionally <see cref="SmtpDiagnosticStage.GraphSend"/> posts the
/// test mail. Each answer goes into the run (HTTP status, Graph error code, request id) and into a transcript where the
/// bearer token is <c>********</c>.
/// </summary>
internal sealed class GraphDiagnosticConversation
{
    private readonly OAuthTokenManager _tokens;
    private readonly GraphMailTransport _transport;
    private readonly SmtpSettings _settings;
    private readonly DiagnosticRun _run;
    private readonly StringBuilder _transcript = new();

    public GraphDiagnosticConversation(OAuthTokenManager tokens, GraphMailTransport transport, SmtpSettings settings, DiagnosticRun run)
    {
        _tokens = tokens;
        _transport = transport;
        _settings = settings;
        _run = run;
    }

    /// <summary>Runs the stages; a failure ends in the run, only the caller's cancellation is thrown.</summary>
    /// <returns>The transcript.</returns>
    public async Task<string> RunAsync(MimeMessage? message, CancellationToken cancellationToken)
    {
        var oauth = _settings.OAuth2!;
        _run.Begin(SmtpDiagnosticStage.Token);
        Line($"C: POST {oauth.TokenEndpoint.GetLeftPart(UriPartial.Path)} ({oauth.Flow}, scope {string.Join(' ', oauth.Scopes)})");
        try
        {
            await _tokens.GetAccessTokenAsync(oauth, rejectedAccessToken: null, cancellationToken).ConfigureAwait(false);
            Line("S: access_token ********");
            _run.Succeed($"{oauth.Flow} token from {oauth.TokenEndpoint.Host}");
        }
        catch (SystemMailException ex) when (!cancellationToken.IsCancellationRequested)
        {
            Line($"S: {ex.Summary}");
            _run.Fail(ex);
            return _transcript.ToString();
        }

        if (message is null)
        {
            return _transcript.ToString();
        }

        _run.Begin(SmtpDiagnosticStage.GraphSend);
        var body = GraphMime.Encode(message, cancellationToken);
        Line($"C: POST {_settings.GraphSendMailUri} (text/plain, {body.Length.ToString(CultureInfo.InvariantCulture)} bytes of base64 MIME, Message-Id <{message.MessageId}>)");
        Line("C: Authorization: Bearer ********");
        try
        {
            var reply = await _transport.PostAsync(_settings, body, cancellationToken).ConfigureAwait(false);
            Line($"S: {reply.Text}");
            _run.OnGraphReply(reply);
            if (!reply.Succeeded)
            {
                _run.Fail(GraphFailureClassifier.Classify(reply, _settings));
                return _transcript.ToString();
            }

            _run.Succeed(reply.Text);
            _run.MessageId = message.MessageId;
        }
        catch (SystemMailException ex) when (!cancellationToken.IsCancellationRequested)
        {
            Line($"S: {ex.Summary}");
            _run.Fail(ex);
        }

        return _transcript.ToString();
    }

    private void Line(string text) => _transcript.Append(text).Append("\r\n");
}
