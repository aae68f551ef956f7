using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;

namespace SystemMail.AspNetCore;

/// <summary>What the template endpoints do, apart from HTTP: list, read, check, save, preview, test and reset templates.</summary>
internal sealed class SystemMailTemplateService
{
    /// <summary>The address a preview is addressed to.</summary>
    private const string SampleRecipient = "user@example.com";

    private readonly StoredMailTemplates _templates;
    private readonly MailTemplateRenderer _renderer;
    private readonly ISystemMailer _mailer;
    private readonly SmtpSettingsSource _settings;
    private readonly IOptionsMonitor<SystemMailOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public SystemMailTemplateService(
        StoredMailTemplates templates,
        MailTemplateRenderer renderer,
        ISystemMailer mailer,
        SmtpSettingsSource settings,
        IOptionsMonitor<SystemMailOptions> options,
        TimeProvider time,
        ILogger<SystemMailTemplateService>? logger = null)
    {
        _templates = templates;
        _renderer = renderer;
        _mailer = mailer;
        _settings = settings;
        _options = options;
        _time = time;
        _logger = logger ?? NullLogger<SystemMailTemplateService>.Instance;
    }

    public async Task<TemplateListDocument> ListAsync(CancellationToken cancellationToken)
    {
        var saved = await _templates.LoadAsync(cancellationToken).ConfigureAwait(false);
        var cultures = MailTemplateRenderer.BuiltInLanguages
            .Concat(saved.All.Select(t => t.Culture).Where(c => !MailTemplateRenderer.BuiltInLanguages.Contains(c, StringComparer.OrdinalIgnoreCase)).Order(StringComparer.Ordinal))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        var document = new TemplateListDocument { Cultures = cultures };
        foreach (var kind in Enum.GetValues<SystemMailKind>())
        {
            foreach (var culture in cultures)
            {
                var template = saved.Get(kind, culture);
                document.Templates.Add(new TemplateSummaryDocument
                {
                    Kind = kind,
                    Culture = culture,
                    Overridden = template is not null,
                    Version = template?.Version,
                    UpdatedBy = template?.UpdatedBy,
                    UpdatedAt = template?.UpdatedAt,
                });
            }
        }

        return document;
    }

    public async Task<TemplateDocument> GetAsync(SystemMailKind kind, CultureInfo culture, CancellationToken cancellationToken)
    {
        var saved = await _templates.LoadAsync(cancellationToken).ConfigureAwait(false);
        return ToDocument(kind, culture, saved.Get(kind, culture.Name));
    }

    public async Task<Outcome<TemplateDocument>> SaveAsync(SystemMailKind kind, CultureInfo culture, TemplateInput input, string? administrator, CancellationToken cancellationToken)
    {
        var template = new MailTemplate { Subject = input.Subject, Html = input.Html, Text = input.Text };
        var problems = MailTemplateValidator.Validate(_renderer, kind, culture, template, SampleValues(kind, culture, SampleRecipient));
        if (problems.Count > 0)
        {
            Log.TemplateRefused(_logger, administrator ?? "(unknown)", kind, culture.Name, problems.Count);
            return Outcome<TemplateDocument>.Invalid(problems);
        }

        var saved = await _templates.TrySaveAsync(kind, culture.Name, template, input.Version, administrator, cancellationToken).ConfigureAwait(false);
        if (saved is null)
        {
            Log.TemplateSaveConflict(_logger, administrator ?? "(unknown)", kind, culture.Name);
            return Outcome<TemplateDocument>.Conflict;
        }

        Log.TemplateSaved(_logger, administrator ?? "(unknown)", kind, culture.Name, saved.Version);
        return Outcome<TemplateDocument>.Done(ToDocument(kind, culture, saved));
    }

    public async Task<Outcome<TemplateDocument>> ResetAsync(SystemMailKind kind, CultureInfo culture, string? expectedVersion, string? administrator, CancellationToken cancellationToken)
    {
        if (!await _templates.TryResetAsync(kind, culture.Name, expectedVersion, cancellationToken).ConfigureAwait(false))
        {
            Log.TemplateSaveConflict(_logger, administrator ?? "(unknown)", kind, culture.Name);
            return Outcome<TemplateDocument>.Conflict;
        }

        Log.TemplateReset(_logger, administrator ?? "(unknown)", kind, culture.Name);
        return Outcome<TemplateDocument>.Done(ToDocument(kind, culture, saved: null));
    }

    /// <summary>Renders the given parts (the template in use for those left out) with sample values.</summary>
    public async Task<Outcome<TemplatePreviewDocument>> PreviewAsync(SystemMailKind kind, CultureInfo culture, TemplateTrialInput input, CancellationToken cancellationToken)
    {
        var template = await TrialAsync(kind, culture, input, cancellationToken).ConfigureAwait(false);
        var values = SampleValues(kind, culture, SampleRecipient);
        var problems = MailTemplateValidator.Validate(_renderer, kind, culture, template, values);
        if (problems.Count > 0)
        {
            return Outcome<TemplatePreviewDocument>.Invalid(problems);
        }

        var rendered = _renderer.RenderCandidate(kind, culture, values, template);
        return Outcome<TemplatePreviewDocument>.Done(new TemplatePreviewDocument { Subject = rendered.Subject, Html = rendered.Html, Text = rendered.Text });
    }

    /// <summary>Sends the given parts (the template in use for those left out) with sample values to <paramref name="recipient"/>, through the mailer.</summary>
    /// <exception cref="ArgumentException"><paramref name="recipient"/> is not a mail address.</exception>
    /// <exception cref="SystemMailException">The settings are not usable, or the mail could not be sent.</exception>
    public async Task<Outcome<TemplateTestDocument>> SendTestAsync(SystemMailKind kind, CultureInfo culture, TemplateTrialInput input, string recipient, string? administrator, CancellationToken cancellationToken)
    {
        var mailbox = MailArguments.Recipient(recipient, "to");
        var template = await TrialAsync(kind, culture, input, cancellationToken).ConfigureAwait(false);
        var settings = _settings.Current;
        var values = SystemMailComposer.Values(kind, mailbox, settings);
        MailVariables.AddSamples(kind, values, culture, settings.Options.Product.Url, _time.GetUtcNow());
        var problems = MailTemplateValidator.Validate(_renderer, kind, culture, template, values);
        if (problems.Count > 0)
        {
            return Outcome<TemplateTestDocument>.Invalid(problems);
        }

        var rendered = _renderer.RenderCandidate(kind, culture, values, template);
        using var message = SystemMailMessage.Create(rendered, settings.From, mailbox, _time.GetUtcNow());
        try
        {
            var sent = await _mailer.SendAsync(message, cancellationToken).ConfigureAwait(false);
            Log.TemplateTestSent(_logger, administrator ?? "(unknown)", kind, culture.Name);
            return Outcome<TemplateTestDocument>.Done(new TemplateTestDocument { To = mailbox.Address, MessageId = sent.MessageId, Reply = sent.ServerResponse });
        }
        catch (SystemMailException ex)
        {
            Log.TemplateTestFailed(_logger, administrator ?? "(unknown)", kind, culture.Name, ex.Kind, ex.GetHint(CultureInfo.InvariantCulture));
            throw;
        }
    }

    /// <summary>The parts a preview or test uses: those given, and the template in use for the others.</summary>
    private async Task<MailTemplate> TrialAsync(SystemMailKind kind, CultureInfo culture, TemplateTrialInput input, CancellationToken cancellationToken)
    {
        var saved = await _templates.LoadAsync(cancellationToken).ConfigureAwait(false);
        var current = saved.Find(kind, CultureFallback.Chain(culture))?.ToTemplate() ?? _renderer.Default(kind, culture);
        return new MailTemplate
        {
            Subject = input.Subject ?? current.Subject,
            Html = input.Html ?? current.Html,
            Text = input.Text ?? current.Text,
        };
    }

    /// <summary>The values a mail of <paramref name="kind"/> would have, the product's real ones and samples for the rest.</summary>
    private Dictionary<string, string> SampleValues(SystemMailKind kind, CultureInfo culture, string recipient)
    {
        var options = _options.CurrentValue;
        var values = SystemMailComposer.Values(
            kind, recipient, options.Product, $"{options.Host ?? "smtp.example.com"}:{options.Port ?? 587}", options.Provider ?? SmtpProviderTemplates.CustomId);
        MailVariables.AddSamples(kind, values, culture, options.Product.Url, _time.GetUtcNow());
        return values;
    }

    private TemplateDocument ToDocument(SystemMailKind kind, CultureInfo culture, SavedMailTemplate? saved)
    {
        var builtIn = Parts(_renderer.Default(kind, culture));
        var known = MailVariables.Known(kind, isSubject: false);
        return new TemplateDocument
        {
            Kind = kind,
            Culture = culture.Name,
            Variables = [.. known.Order(StringComparer.Ordinal)],
            RequiredVariable = MailVariables.Required(kind),
            BuiltIn = builtIn,
            Saved = saved is null ? null : Parts(saved.ToTemplate()),
            Current = saved is null ? builtIn : Parts(saved.ToTemplate()),
            Version = saved?.Version,
            UpdatedBy = saved?.UpdatedBy,
            UpdatedAt = saved?.UpdatedAt,
        };
    }

    private static TemplatePartsDocument Parts(MailTemplate template) => new() { Subject = template.Subject, Html = template.Html, Text = template.Text };

    /// <summary>Done with a value, refused with the problems, or a conflict with a change made meanwhile.</summary>
    internal sealed record Outcome<T>(T? Value, IReadOnlyList<TemplateProblem>? Problems, bool IsConflict)
        where T : class
    {
        public static Outcome<T> Conflict { get; } = new(null, null, true);

        public static Outcome<T> Done(T value) => new(value, null, false);

        public static Outcome<T> Invalid(IReadOnlyList<TemplateProblem> problems) => new(null, problems, false);
    }
}
