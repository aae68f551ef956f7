using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SystemMail;

/// <summary>
/// What happens when a saved template fails as a mail is rendered and the built-in text is sent instead: it is logged,
/// counted (<c>systemmail.templates.fallbacks</c>) and the health check turns degraded with the reason.
/// </summary>
internal sealed class TemplateFallbacks
{
    private readonly SystemMailTelemetry _telemetry;
    private readonly TemplateHealth _health;
    private readonly ILogger _logger;

    public TemplateFallbacks(SystemMailTelemetry telemetry, TemplateHealth health, ILogger<TemplateFallbacks>? logger = null)
    {
        _telemetry = telemetry;
        _health = health;
        _logger = logger ?? NullLogger<TemplateFallbacks>.Instance;
    }

    public void Report(SavedMailTemplate template, Exception exception)
    {
        var reason = Describe(exception);
        Log.SavedTemplateFellBack(_logger, template.Kind, template.Culture, template.Version, reason);
        _telemetry.TemplateFallbacks.Add(1, new TagList { { "systemmail.mail.kind", template.Kind.ToString() }, { "systemmail.template.culture", template.Culture } });
        _health.Failed(
            template,
            $"The saved {template.Kind} template ({template.Culture}, version {template.Version}) failed as a mail was rendered, and the built-in text was sent instead: " +
            $"{reason} Edit the template, or reset it to the built-in one.");
    }

    /// <summary>
    /// What went wrong, without the mail's values: a limit (Fluid's and the output limit's texts are fixed) or a
    /// template that no longer parses is told as it is; any other failure only by its type, as its message may quote a
    /// value, such as a reset link with its token.
    /// </summary>
    private static string Describe(Exception exception) => exception switch
    {
        InvalidOperationException or FormatException => exception.Message,
        _ => $"{exception.GetType().Name} as it ran.",
    };
}
