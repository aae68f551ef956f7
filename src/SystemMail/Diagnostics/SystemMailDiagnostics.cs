using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;

namespace SystemMail;

internal sealed class SystemMailDiagnostics : ISystemMailDiagnostics
{
    private readonly SmtpSettingsSource _saved;
    private readonly IOptionsMonitor<SystemMailOptions> _options;
    private readonly IValidateOptions<SystemMailOptions>[] _validators;
    private readonly ISmtpProviderCatalog _catalog;
    private readonly SmtpConnector _connector;
    private readonly MailTemplateRenderer _renderer;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public SystemMailDiagnostics(
        SmtpSettingsSource saved,
        IOptionsMonitor<SystemMailOptions> options,
        IEnumerable<IValidateOptions<SystemMailOptions>> validators,
        ISmtpProviderCatalog catalog,
        SmtpConnector connector,
        MailTemplateRenderer renderer,
        TimeProvider time,
        ILogger<SystemMailDiagnostics>? logger = null)
    {
        _saved = saved;
        _options = options;
        _validators = [.. validators];
        _catalog = catalog;
        _connector = connector;
        _renderer = renderer;
        _time = time;
        _logger = logger ?? NullLogger<SystemMailDiagnostics>.Instance;
    }

    public Task<SmtpDiagnosticReport> TestConnectionAsync(CultureInfo? culture = null, CancellationToken cancellationToken = default) =>
        RunAsync(SmtpDiagnosticOperation.TestConnection, candidate: null, recipient: null, culture, cancellationToken);

    public Task<SmtpDiagnosticReport> TestConnectionAsync(SystemMailOptions settings, CultureInfo? culture = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return RunAsync(SmtpDiagnosticOperation.TestConnection, settings, recipient: null, culture, cancellationToken);
    }

    public Task<SmtpDiagnosticReport> SendTestMailAsync(string recipient, CultureInfo? culture = null, CancellationToken cancellationToken = default)
    {
        var mailbox = MailArguments.Recipient(recipient, nameof(recipient));
        return RunAsync(SmtpDiagnosticOperation.SendTestMail, candidate: null, mailbox, culture, cancellationToken);
    }

    public Task<SmtpDiagnosticReport> SendTestMailAsync(string recipient, SystemMailOptions settings, CultureInfo? culture = null, CancellationToken cancellationToken = default)
    {
        var mailbox = MailArguments.Recipient(recipient, nameof(recipient));
        ArgumentNullException.ThrowIfNull(settings);
        return RunAsync(SmtpDiagnosticOperation.SendTestMail, settings, mailbox, culture, cancellationToken);
    }

    private async Task<SmtpDiagnosticReport> RunAsync(
        SmtpDiagnosticOperation operation,
        SystemMailOptions? candidate,
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
            return Finish(run, candidate is null ? "the saved settings" : $"{candidate.Host}:{candidate.Port}", string.Empty);
        }

        run.Plan(settings, sends: recipient is not null);
        run.Succeed(candidate is null ? "saved settings" : "unsaved settings");

        using var message = recipient is null ? null : ComposeTestMail(settings, recipient, culture);
        var conversation = new DiagnosticConversation(_connector, settings, run, _time);
        var transcript = await conversation.RunAsync(message, CheckOAuth2Tokens(settings, candidate), cancellationToken).ConfigureAwait(false);
        return Finish(run, settings.Endpoint, transcript);
    }

    private SmtpSettings Prepare(SystemMailOptions candidate, DiagnosticRun run)
    {
        SystemMailOptions? saved;
        try
        {
            saved = _options.CurrentValue;
        }
        catch (OptionsValidationException)
        {
            // Saved settings that are invalid have no secrets worth reusing.
            saved = null;
        }

        var prepared = CandidateSettings.Create(candidate, saved, _catalog);
        run.StoredSecretsUsed = prepared.StoredSecretsUsed;
        foreach (var setting in prepared.StoredSecretsNotReused)
        {
            Log.StoredSecretNotReused(_logger, setting, $"{candidate.Host}:{candidate.Port}");
        }

        var failures = _validators
            .Select(v => v.Validate(Options.DefaultName, prepared.Options))
            .Where(r => r.Failed)
            .SelectMany(r => r.Failures ?? [])
            .ToList();
        if (failures.Count > 0)
        {
            throw new SystemMailException(
                SystemMailErrorKind.Configuration,
                "The mail settings are invalid: " + string.Join(" ", failures),
                prepared.StoredSecretsNotReused.Count > 0 ? Hints.StoredSecretNotReused(string.Join(", ", prepared.StoredSecretsNotReused)) : Hints.InvalidSettings);
        }

        return SmtpSettings.Create(prepared.Options, _catalog);
    }

    /// <summary>
    /// OAuth2 tokens belong to the saved provider information; unsaved settings that differ must not use them, and
    /// must not make the token manager delete them as tokens of changed settings.
    /// </summary>
    private SystemMailException? CheckOAuth2Tokens(SmtpSettings settings, SystemMailOptions? candidate)
    {
        if (candidate is null || settings.OAuth2 is not { } oauth2)
        {
            return null;
        }

        OAuth2Settings? saved;
        try
        {
            saved = _saved.Current.OAuth2;
        }
        catch (SystemMailException)
        {
            saved = null;
        }

        var changed = saved is null ? ["provider"] : oauth2.ChangesSince(saved.Fingerprint);
        return changed.Count == 0
            ? null
            : new SystemMailException(
                SystemMailErrorKind.Authentication,
                $"The OAuth2 tokens were generated for the saved settings, and these differ ({string.Join(", ", changed)}).",
                Hints.SaveBeforeGeneratingAccessToken);
    }

    private MimeMessage ComposeTestMail(SmtpSettings settings, MailboxAddress recipient, CultureInfo culture)
    {
        var product = settings.Options.Product;
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["product_name"] = product.Name,
            ["product_url"] = product.Url?.AbsoluteUri ?? string.Empty,
            ["support_address"] = product.SupportAddress ?? string.Empty,
            ["recipient"] = recipient.Address,
            ["endpoint"] = settings.Endpoint,
            ["provider"] = settings.Template.DisplayName,
        };
        var rendered = _renderer.Render(SystemMailKind.Test, culture, values);
        return SystemMailMessage.Create(rendered, settings.From, recipient, _time.GetUtcNow());
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
            Log.DiagnosticFailed(_logger, report.Operation, endpoint, report.FailedStage, report.ErrorKind, report.ServerReply?.StatusCode, report.HintId);
        }

        return report;
    }
}
