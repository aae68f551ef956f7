namespace SystemMail;

/// <summary>The report a <see cref="DiagnosticRun"/> ends with: its stages, facts and failure, as the public report shows them.</summary>
internal sealed partial class DiagnosticRun
{
    public SmtpDiagnosticReport ToReport(string transcript)
    {
        Succeed();
        var settings = Settings;
        var failure = _failure;
        return new SmtpDiagnosticReport
        {
            Operation = Operation,
            Succeeded = failure is null,
            StartedAt = StartedAt,
            Duration = _time.GetElapsedTime(_started),
            Provider = settings?.Template.Id,
            Host = settings?.Host,
            Port = settings?.Port,
            Security = settings?.Security,
            Authentication = settings?.Authentication,
            Username = settings?.Authentication == SmtpAuthenticationType.None ? null : settings?.Username,
            From = settings?.From.Address,
            Recipient = Recipient,
            StoredSecretsUsed = StoredSecretsUsed,
            Steps = [.. _steps.Select(ToStep)],
            FailedStage = failure?.Stage,
            ErrorKind = failure?.Exception.Kind,
            Error = failure is null ? null
                : InvalidSettings.Count > 0 && ValidationMessage.LanguageOf(Culture) != CultureFallback.NeutralLanguage ? InvalidSettingsText()
                : failure.Exception.Summary,
            ServerReply = failure?.Reply,
            Hint = failure?.Exception.GetHint(Culture),
            HintId = failure?.Exception.HintId,
            HintLanguage = Hint.LanguageOf(Culture),
            RemoteEndPoint = RemoteEndPoint,
            Tls = Tls ?? Certificate,
            Greeting = Greeting,
            Capabilities = Capabilities,
            AuthenticationMechanism = AuthenticationMechanism,
            MessageId = failure is null ? MessageId : null,
            RequestId = RequestId,
            Transcript = transcript,
        };
    }

    /// <summary>The exception's English message in the report's language: each problem with its setting.</summary>
    private string InvalidSettingsText() =>
        new ValidationMessage("SettingsInvalid", string.Join(" ", InvalidSettings.Select(e =>
            e.Property is null ? e.Message.Text(Culture) : new ValidationMessage("PropertyProblem", e.Property, e.Message).Text(Culture)))).Text(Culture);

    private SmtpDiagnosticStep ToStep(Step step) => new()
    {
        Stage = step.Stage,
        Outcome = step.Outcome ?? SmtpDiagnosticOutcome.NotRun,
        Duration = step.Started is { } started ? _time.GetElapsedTime(started, step.Ended ?? _time.GetTimestamp()) : null,
        Detail = step.Detail,
        Reply = step.Reply,
    };

    private static SmtpServerReply? ToReply(SystemMailException exception) =>
        exception.StatusCode is { } code
            ? new SmtpServerReply { StatusCode = code, EnhancedStatusCode = exception.EnhancedStatusCode, Text = exception.ServerResponse ?? string.Empty }
            : null;
}
