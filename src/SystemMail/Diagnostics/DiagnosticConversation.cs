using MimeKit;

namespace SystemMail;

/// <summary>
/// Runs the SMTP conversation of one diagnostic on a connection of its own: <see cref="SmtpConnector"/> resolves,
/// connects, secures and authenticates as it does for the pool while the run watches each stage; then optionally
/// MAIL FROM, RCPT TO and DATA. Every failure is classified like a failed send and ends in the run.
/// </summary>
internal sealed class DiagnosticConversation
{
    private readonly SmtpConnector _connector;
    private readonly SmtpSettings _settings;
    private readonly DiagnosticRun _run;
    private readonly TimeProvider _time;

    public DiagnosticConversation(SmtpConnector connector, SmtpSettings settings, DiagnosticRun run, TimeProvider time)
    {
        _connector = connector;
        _settings = settings;
        _run = run;
        _time = time;
    }

    /// <summary>Runs the stages; a failure ends in the run, only the caller's cancellation is thrown.</summary>
    /// <param name="message">The test mail, or <see langword="null"/> to quit after authenticating.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The transcript.</returns>
    public async Task<string> RunAsync(MimeMessage? message, CancellationToken cancellationToken)
    {
        using var logger = new DiagnosticProtocolLogger(_run);
        var observer = new DiagnosticConnectionObserver(_run, _settings);
        SystemMailSmtpClient client;
        try
        {
            client = await _connector.ConnectAsync(_settings, logger, observer, cancellationToken).ConfigureAwait(false);
        }
        catch (SystemMailException) when (!cancellationToken.IsCancellationRequested)
        {
            // The connector told the observer, and so the run.
            return logger.Transcript;
        }

        using (client)
        {
            try
            {
                if (message is not null)
                {
                    using var deadline = new Deadline(_time, _settings.Timeout, cancellationToken);
                    _run.Begin(SmtpDiagnosticStage.MailFrom);
                    if (SmtpUtf8Check.Check(client, message, _settings.Endpoint) is { } needsSmtpUtf8)
                    {
                        throw needsSmtpUtf8;
                    }

                    await client.SendAsync(message, deadline.Token).ConfigureAwait(false);
                    _run.Succeed();
                    _run.MessageId = message.MessageId;
                }

                await _connector.QuitAsync(client, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                observer.OnFailed(SmtpFailureClassifier.Classify(ex, SmtpStage.Send, _settings, _run.CurrentErrorReply));

                // After a refused command the server still listens: say goodbye, as a mail client does.
                if (client.IsConnected && SmtpConnector.IsRefusal(ex))
                {
                    await _connector.QuitAsync(client, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return logger.Transcript;
    }
}
