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
        Log.SavedTemplateFellBack(_logger, exception, template.Kind, template.Culture, template.Version);
        _telemetry.TemplateFallbacks.Add(1, new TagList { { "systemmail.mail.kind", template.Kind.ToString() }, { "systemmail.template.culture", template.Culture } });
        _health.Failed(
            template,
            $"The saved {template.Kind} template ({template.Culture}, version {template.Version}) failed as a mail was rendered, and the built-in text was sent instead: " +
            $"{exception.Message} Edit the template, or reset it to the built-in one.");
    }
}
