using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SystemMail;

/// <summary>
/// SystemMail's meter and activity source, both named <c>SystemMail</c>, after OpenTelemetry's conventions.
/// Its send spans are the parents of MailKit's own SMTP spans (<c>MailKit.Net.SmtpClient</c>).
/// </summary>
internal sealed class SystemMailTelemetry : IDisposable
{
    public const string Name = "SystemMail";

    public static readonly ActivitySource ActivitySource = new(Name, typeof(SystemMailTelemetry).Assembly.GetName().Version?.ToString());

    private readonly Meter _meter;
    private readonly bool _ownsMeter;

    public SystemMailTelemetry(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(Name) ?? new Meter(Name);
        _ownsMeter = meterFactory is null;
        MailsSent = _meter.CreateCounter<long>("systemmail.mails.sent", "{mail}", "Mails the SMTP server accepted.");
        MailsFailed = _meter.CreateCounter<long>("systemmail.mails.failed", "{mail}", "Mails that could not be sent, by error.type (the failure kind).");
        SendDuration = _meter.CreateHistogram<double>(
            "systemmail.send.duration",
            "s",
            "Time to send one mail, retries and waits for a sending slot included.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });
        MailsLimited = _meter.CreateCounter<long>("systemmail.mails.limited", "{mail}", "Mails not sent because their recipient reached RecipientLimit, by systemmail.mail.kind.");
        Retries = _meter.CreateCounter<long>("systemmail.send.retries", "{retry}", "Sends tried again after a transient failure.");
        ThrottleWaits = _meter.CreateCounter<long>("systemmail.throttle.waits", "{wait}", "Sends that waited for a slot under the provider's sending limit.");
        TokenRefreshes = _meter.CreateCounter<long>("systemmail.oauth2.token_refreshes", "{request}", "Requests to the OAuth2 token endpoint, by outcome.");
        TemplateFallbacks = _meter.CreateCounter<long>("systemmail.templates.fallbacks", "{mail}", "Mails sent with the built-in text because the saved template failed as it was rendered.");
        ConnectionsInUse = _meter.CreateUpDownCounter<long>("systemmail.pool.connections.in_use", "{connection}", "Pooled SMTP connections sending a mail right now.");
    }

    /// <summary>Gets SystemMail's meter, for the instruments of the other SystemMail packages (the outbox's).</summary>
    public Meter Meter => _meter;

    /// <summary>Gets the mails the SMTP server accepted.</summary>
    public Counter<long> MailsSent { get; }

    public Counter<long> MailsFailed { get; }

    public Counter<long> MailsLimited { get; }

    public Histogram<double> SendDuration { get; }

    public Counter<long> Retries { get; }

    public Counter<long> ThrottleWaits { get; }

    public Counter<long> TokenRefreshes { get; }

    public UpDownCounter<long> ConnectionsInUse { get; }

    public Counter<long> TemplateFallbacks { get; }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
