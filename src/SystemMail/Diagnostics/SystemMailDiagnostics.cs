using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;

namespace SystemMail;

internal sealed class SystemMailDiagnostics : ISystemMailDiagnostics
{
    private readonly SmtpSettingsSource _saved;
    private readonly UnsavedSettingsFactory _unsaved;
    private readonly ISmtpProviderCatalog _catalog;
    private readonly SmtpConnector _connector;
    private readonly OAuthTokenManager _tokens;
    private readonly GraphMailTransport _graph;
    private readonly MailTemplateRenderer _renderer;
    private readonly TimeProvider _time;
    private readonly ISavedTemplateSource _savedTemplates;
    private readonly ILogger _logger;

    public SystemMailDiagnostics(
        SmtpSettingsSource saved,
        UnsavedSettingsFactory unsaved,
        ISmtpProviderCatalog catalog,
        SmtpConnector connector,
        OAuthTokenManager tokens,
        GraphMailTransport graph,
        MailTemplateRenderer renderer,
        TimeProvider time,
        ILogger<SystemMailDiagnostics>? logger = null,
        ISavedTemplateSource? savedTemplates = null)
    {
        _savedTemplates = savedTemplates ?? NoSavedTemplates.Instance;
        _saved = saved;
        _unsaved = unsaved;
        _catalog = catalog;
        _connector = connector;
        _tokens = tokens;
        _graph = graph;
        _renderer = renderer;
        _time = time;
        _logger = logger ?? NullLogger<SystemMailDiagnostics>.Instance;
    }

    public Task<SmtpDiagnosticReport> TestConnectionAsync(CultureInfo? culture = null, CancellationToken cancellationToken = default) =>
        RunAsync(SmtpDiagnosticOperation.TestConnection, candidate: null, recipient: null, culture, cancellationToken);

    public Task<SmtpDiagnosticReport> TestConnectionAsync(Action<SystemMailOptions> settings, CultureInfo? culture = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return RunAsync(SmtpDiagnosticOperation.TestConnection, settings, recipient: null, culture, cancellationToken);
    }

    public Task<SmtpDiagnosticReport> SendTestMailAsync(string recipient, CultureInfo? culture = null, CancellationToken cancellationToken = default)
    {
        var mailbox = MailArguments.Recipient(recipient, nameof(recipient));
        return RunAsync(SmtpDiagnosticOperation.SendTestMail, candidate: null, mailbox, culture, cancellationToken);
    }

    public Task<SmtpDiagnosticReport> SendTestMailAsync(string recipient, Action<SystemMailOptions> settings, CultureInfo? culture = null, CancellationToken cancellationToken = default)
    {
        var mailbox = MailArguments.Recipient(recipient, nameof(recipient));
        ArgumentNullException.ThrowIfNull(settings);
        return RunAsync(SmtpDiagnosticOperation.SendTestMail, settings, mailbox, culture, cancellationToken);
    }

    private async Task<SmtpDiagnosticReport> RunAsync(
        SmtpDiagnosticOperation operation,
        Action<SystemMailOptions>? candidate,
        MailboxAddress? recipient,
        CultureInfo? culture,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        culture ??= CultureInfo.CurrentUICulture;
        var run = new DiagnosticRun(operation, culture, _time) { Recipient = recipient?.Address };
        run.Begin(SmtpDiagnosticStage.Settings);

        SmtpSettings settings;
        try
        {
            settings = candidate is null ? _saved.Current : Prepare(candidate, run);
        }
        catch (SystemMailException ex)
        {
            run.Fail(ex);
            return Finish(run, candidate is null ? "the saved settings" : "the unsaved settings", string.Empty);
        }

        run.Plan(settings, sends: recipient is not null);
        run.Succeed(candidate is null ? "saved settings" : "unsaved settings");

        if (recipient is not null)
        {
            // The test mail is written with the saved Test template as the mailer's mails are: read it again first.
            await _savedTemplates.RefreshAsync(cancellationToken).ConfigureAwait(false);
        }

        using var message = recipient is null ? null : SystemMailComposer.Compose(_renderer, SystemMailKind.Test, recipient, culture, settings, _time.GetUtcNow());
        var transcript = settings.Transport == MailTransport.MicrosoftGraph
            ? await new GraphDiagnosticConversation(_tokens, _graph, settings, run).RunAsync(message, cancellationToken).ConfigureAwait(false)
            : await new DiagnosticConversation(_connector, settings, run, _time).RunAsync(message, cancellationToken).ConfigureAwait(false);
        return Finish(run, settings.Endpoint, transcript);
    }

    /// <summary>
    /// The unsaved settings, checked before any connection: valid, no stored secret taken to another destination, and
    /// with OAuth2 the same destination as the saved settings (the stored tokens belong to it, and a test must not
    /// make the token service discard them).
    /// </summary>
    private SmtpSettings Prepare(Action<SystemMailOptions> change, DiagnosticRun run)
    {
        var unsaved = _unsaved.Create(change);
        run.StoredSecretsUsed = unsaved.StoredSecretsUsed;
        var destination = unsaved.Options is { } built ? SmtpDestination.Of(built, _catalog) : null;
        foreach (var setting in unsaved.StoredSecretsWithheld)
        {
            Log.StoredSecretNotReused(_logger, setting, destination?.ToString() ?? "another destination");
        }

        if (unsaved.Options is not { } options)
        {
            run.InvalidSettings = unsaved.Errors;
            throw new SystemMailException(
                SystemMailErrorKind.Configuration,
                "The mail settings are invalid: " + string.Join(" ", unsaved.Failures),
                unsaved.StoredSecretsWithheld.Count > 0 ? Hints.StoredSecretNotReused(string.Join(", ", unsaved.StoredSecretsWithheld)) : Hints.InvalidSettings);
        }

        var settings = SmtpSettings.Create(options, _catalog);
        if (settings.OAuth2 is { } oauth2)
        {
            var saved = SavedOAuth2();
            var changed = saved is null ? oauth2.Destination.Differences(null) : oauth2.ChangesSince(saved.Fingerprint);
            if (changed.Count > 0)
            {
                throw new SystemMailException(
                    SystemMailErrorKind.Authentication,
                    $"The OAuth2 tokens were generated for the saved settings, and these differ ({string.Join(", ", changed)}).",
                    Hints.SaveBeforeGeneratingAccessToken);
            }
        }

        return settings;
    }

    private OAuthSettings? SavedOAuth2()
    {
        try
        {
            return _saved.Current.OAuth2;
        }
        catch (SystemMailException)
        {
            return null;
        }
    }

    private SmtpDiagnosticReport Finish(DiagnosticRun run, string endpoint, string transcript)
    {
        var report = run.ToReport(transcript);
        if (report.Succeeded)
        {
            Log.DiagnosticSucceeded(_logger, report.Operation, endpoint, (long)report.Duration.TotalMilliseconds);
        }
        else
        {
            var status = Log.Status(report.ServerReply?.StatusCode);
            Log.DiagnosticFailed(_logger, report.Operation, endpoint, report.FailedStage, report.ErrorKind, status, report.HintId);
        }

        return report;
    }
}
