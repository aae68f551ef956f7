using System.Globalization;

namespace SystemMail;

/// <summary>
/// The stages of one diagnostic in the making: which are due, which one runs now, when each started and ended and
/// what the server said during it; builds the <see cref="SmtpDiagnosticReport"/> at the end.
/// </summary>
/// <remarks>
/// MailKit runs greeting, EHLO, STARTTLS and the handshake inside one <c>ConnectAsync</c> call, so those stages are
/// told apart by what the protocol logger sees: the connect notice, each command and each complete reply.
/// </remarks>
internal sealed partial class DiagnosticRun
{
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly List<Step> _steps = [];
    private readonly List<string> _mechanismsTried = [];
    private Step? _current;
    private Failure? _failure;

    public DiagnosticRun(SmtpDiagnosticOperation operation, CultureInfo culture, TimeProvider time)
    {
        Operation = operation;
        Culture = culture;
        _time = time;
        StartedAt = time.GetUtcNow();
        _started = time.GetTimestamp();
        _steps.Add(new Step(SmtpDiagnosticStage.Settings));
    }

    public SmtpDiagnosticOperation Operation { get; }

    public CultureInfo Culture { get; }

    public DateTimeOffset StartedAt { get; }

    /// <summary>Gets the stage running now, or the next one due when none runs (a check between two stages failed).</summary>
    public SmtpDiagnosticStage FailingStage =>
        _current?.Stage ?? _steps.FirstOrDefault(s => s.Outcome is null)?.Stage ?? _steps[^1].Stage;

    /// <summary>Gets the last error reply (4xx, 5xx) of the stage running now.</summary>
    public SmtpServerReply? CurrentErrorReply => _current?.Reply is { StatusCode: >= 400 } reply ? reply : null;

    public SmtpTlsInfo? Certificate { get; private set; }

    public string? Greeting { get; private set; }

    public IReadOnlyList<string> Capabilities { get; private set; } = [];

    public string? AuthenticationMechanism { get; private set; }

    public SmtpTlsInfo? Tls { get; private set; }

    public string? RemoteEndPoint { get; set; }

    public string? MessageId { get; set; }

    /// <summary>Gets Microsoft Graph's request id of the last answer, to quote to Microsoft support.</summary>
    public string? RequestId { get; private set; }

    /// <summary>Records Microsoft Graph's answer in the stage running now.</summary>
    public void OnGraphReply(GraphReply reply)
    {
        RequestId = reply.RequestId ?? RequestId;
        if (_current is { } step)
        {
            step.Reply = new SmtpServerReply { StatusCode = reply.StatusCode, Text = reply.Text };
        }
    }

    public IReadOnlyList<string> StoredSecretsUsed { get; set; } = [];

    public SmtpSettings? Settings { get; set; }

    /// <summary>Gets or sets the problems of unsaved settings that failed validation, for the report to name in its culture.</summary>
    public IReadOnlyList<ValidationError> InvalidSettings { get; set; } = [];

    public string? Recipient { get; set; }

    /// <summary>Lays out the stages these settings go through, after <see cref="SmtpDiagnosticStage.Settings"/>.</summary>
    public void Plan(SmtpSettings settings, bool sends)
    {
        Settings = settings;
        if (settings.Transport == MailTransport.MicrosoftGraph)
        {
            _steps.Add(new Step(SmtpDiagnosticStage.Token));
            if (sends)
            {
                _steps.Add(new Step(SmtpDiagnosticStage.GraphSend));
            }

            return;
        }

        var stages = new List<SmtpDiagnosticStage> { SmtpDiagnosticStage.ResolveHost, SmtpDiagnosticStage.Connect };
        stages.AddRange(settings.Security switch
        {
            SmtpSecurity.SslOnConnect => [SmtpDiagnosticStage.Tls, SmtpDiagnosticStage.Greeting, SmtpDiagnosticStage.Ehlo],
            SmtpSecurity.StartTls => [SmtpDiagnosticStage.Greeting, SmtpDiagnosticStage.Ehlo, SmtpDiagnosticStage.Tls, SmtpDiagnosticStage.Ehlo],
            _ => (SmtpDiagnosticStage[])[SmtpDiagnosticStage.Greeting, SmtpDiagnosticStage.Ehlo, SmtpDiagnosticStage.Tls],
        });
        stages.Add(SmtpDiagnosticStage.Authenticate);
        if (sends)
        {
            stages.AddRange([SmtpDiagnosticStage.MailFrom, SmtpDiagnosticStage.RcptTo, SmtpDiagnosticStage.Data]);
        }

        _steps.AddRange(stages.Select(stage => new Step(stage)));
        if (settings.Security == SmtpSecurity.None)
        {
            Skip(SmtpDiagnosticStage.Tls, "Security is None");
        }

        if (settings.Authentication == SmtpAuthenticationType.None)
        {
            Skip(SmtpDiagnosticStage.Authenticate, "Authentication is None");
        }
    }

    /// <summary>Starts the next due step of <paramref name="stage"/>; the one running now ends as succeeded.</summary>
    public void Begin(SmtpDiagnosticStage stage)
    {
        Succeed();
        var step = _steps.FirstOrDefault(s => s.Outcome is null && s.Started is null && s.Stage == stage);
        if (step is null)
        {
            // Not planned (a server that asks for more than its settings say): recorded where it happened.
            step = new Step(stage);
            var next = _steps.FindIndex(s => s.Outcome is null && s.Started is null);
            _steps.Insert(next < 0 ? _steps.Count : next, step);
        }

        step.Started = _time.GetTimestamp();
        _current = step;
    }

    /// <summary>Ends the step running now, if any, as succeeded.</summary>
    public void Succeed(string? detail = null)
    {
        if (_current is not { } step)
        {
            return;
        }

        step.Outcome = SmtpDiagnosticOutcome.Succeeded;
        step.Ended = _time.GetTimestamp();
        step.Detail = detail ?? step.Detail;
        _current = null;
    }

    public void Skip(SmtpDiagnosticStage stage, string reason)
    {
        if (_steps.FirstOrDefault(s => s.Outcome is null && s.Started is null && s.Stage == stage) is { } step)
        {
            step.Outcome = SmtpDiagnosticOutcome.Skipped;
            step.Detail = reason;
        }
    }

    /// <summary>Fails the stage running now (or the next one due) and marks every later stage as not run.</summary>
    /// <param name="exception">The classified failure.</param>
    /// <param name="observedReply">The server's error reply the logger saw, for a failure whose exception lost it.</param>
    /// <param name="at">The stage that failed, when it is not the one running: the stage running then did not run.</param>
    public void Fail(SystemMailException exception, SmtpServerReply? observedReply = null, SmtpDiagnosticStage? at = null)
    {
        if (at is { } stage && _current is { } running && running.Stage != stage)
        {
            running.Started = null;
            _current = null;
        }

        var step = (at is { } failed ? _steps.FirstOrDefault(s => s.Stage == failed) : null) ??
            _current ?? _steps.FirstOrDefault(s => s.Outcome is null) ?? _steps[^1];
        step.Started ??= _time.GetTimestamp();
        step.Ended = _time.GetTimestamp();
        step.Outcome = SmtpDiagnosticOutcome.Failed;

        // The exception's reply first: with PIPELINING the logger has already seen the replies to later commands.
        var reply = ToReply(exception) ?? observedReply;
        step.Reply = reply ?? step.Reply;
        if (step.Stage == SmtpDiagnosticStage.Tls && Certificate is { CertificateSubject: { } subject } certificate)
        {
            step.Detail = certificate.CertificateErrors.Count == 0 ? subject : $"{subject}: {string.Join(", ", certificate.CertificateErrors)}";
        }

        if (step.Stage == SmtpDiagnosticStage.Authenticate && _mechanismsTried.Count > 0)
        {
            // MailKit moves on to the next mechanism the server offers after a refusal.
            step.Detail = "tried " + string.Join(", ", _mechanismsTried);
        }

        _current = null;
        foreach (var later in _steps.Where(s => s.Outcome is null))
        {
            later.Outcome = SmtpDiagnosticOutcome.NotRun;
        }

        _failure = new Failure(step.Stage, exception, reply);
    }

    public void OnConnected()
    {
        // Implicit TLS: MailKit reports the connection once the handshake is done, before the greeting.
        if (_current?.Stage == SmtpDiagnosticStage.Tls)
        {
            Begin(SmtpDiagnosticStage.Greeting);
        }
    }

    public void OnClientCommand(string verb, string? mechanism)
    {
        switch (verb)
        {
            case "EHLO" or "HELO" when _current?.Stage != SmtpDiagnosticStage.Ehlo:
                Begin(SmtpDiagnosticStage.Ehlo);
                break;
            case "STARTTLS":
                Begin(SmtpDiagnosticStage.Tls);
                break;
            case "AUTH" when mechanism is not null:
                AuthenticationMechanism = mechanism;
                if (!_mechanismsTried.Contains(mechanism))
                {
                    _mechanismsTried.Add(mechanism);
                }

                break;
        }
    }

    public void OnServerReply(SmtpServerReply reply, IReadOnlyList<string> lines)
    {
        if (_current is not { } step)
        {
            return;
        }

        if (step.Stage is SmtpDiagnosticStage.MailFrom or SmtpDiagnosticStage.RcptTo)
        {
            // With PIPELINING the replies to MAIL FROM and RCPT TO arrive together; MailKit hands each to its stage.
            return;
        }

        step.Reply = reply;
        var positive = reply.StatusCode is >= 200 and < 400;
        switch (step.Stage)
        {
            case SmtpDiagnosticStage.Greeting when positive:
                Greeting = reply.Text;
                Succeed(reply.Text);
                break;
            case SmtpDiagnosticStage.Greeting:
                Greeting = reply.Text;
                break;
            case SmtpDiagnosticStage.Ehlo when positive:
                Capabilities = [.. lines.Skip(1)];
                Succeed(string.Join(", ", Capabilities));
                break;
        }
    }

    public void OnCertificate(SmtpTlsInfo certificate) => Certificate = certificate;

    public void OnSenderAccepted(SmtpServerReply reply) => Accepted(SmtpDiagnosticStage.MailFrom, reply, SmtpDiagnosticStage.RcptTo);

    public void OnRecipientAccepted(SmtpServerReply reply) => Accepted(SmtpDiagnosticStage.RcptTo, reply, SmtpDiagnosticStage.Data);

    /// <summary>Records what the TLS handshake negotiated, once the connection stands.</summary>
    public void OnSecured(string? protocol, string? cipherSuite)
    {
        var certificate = Certificate ?? new SmtpTlsInfo();
        Tls = new SmtpTlsInfo
        {
            Protocol = protocol,
            CipherSuite = cipherSuite,
            CertificateSubject = certificate.CertificateSubject,
            CertificateIssuer = certificate.CertificateIssuer,
            CertificateNotBefore = certificate.CertificateNotBefore,
            CertificateNotAfter = certificate.CertificateNotAfter,
            CertificateDnsNames = certificate.CertificateDnsNames,
            CertificateThumbprint = certificate.CertificateThumbprint,
            CertificateErrors = certificate.CertificateErrors,
            CertificateAccepted = certificate.CertificateAccepted,
        };

        if (_steps.FirstOrDefault(s => s.Stage == SmtpDiagnosticStage.Tls && s.Outcome == SmtpDiagnosticOutcome.Succeeded) is { } tls)
        {
            tls.Detail = $"{protocol} {cipherSuite}{(certificate.CertificateSubject is { } subject ? ", " + subject : string.Empty)}";
        }
    }

    private void Accepted(SmtpDiagnosticStage stage, SmtpServerReply reply, SmtpDiagnosticStage next)
    {
        if (_current is { } step && step.Stage == stage)
        {
            step.Reply = reply;
        }

        Begin(next);
    }

    private sealed class Step(SmtpDiagnosticStage stage)
    {
        public SmtpDiagnosticStage Stage { get; } = stage;

        public SmtpDiagnosticOutcome? Outcome { get; set; }

        public long? Started { get; set; }

        public long? Ended { get; set; }

        public string? Detail { get; set; }

        public SmtpServerReply? Reply { get; set; }
    }

    private sealed record Failure(SmtpDiagnosticStage Stage, SystemMailException Exception, SmtpServerReply? Reply);
}
