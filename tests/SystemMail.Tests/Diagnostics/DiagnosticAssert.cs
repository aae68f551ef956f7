namespace SystemMail.Tests.Diagnostics;

/// <summary>Assertions on the shape of a failed <see cref="SmtpDiagnosticReport"/>.</summary>
internal static class DiagnosticAssert
{
    /// <summary>
    /// The report failed at <paramref name="stage"/> with <paramref name="kind"/> and the hint <paramref name="hintId"/>:
    /// every stage before it ran or was skipped, the failed one is the last that ran, every later one did not run.
    /// </summary>
    public static SmtpDiagnosticStep FailedAt(SmtpDiagnosticReport report, SmtpDiagnosticStage stage, SystemMailErrorKind kind, string hintId)
    {
        Assert.False(report.Succeeded, "The diagnostic succeeded.");
        Assert.True(stage == report.FailedStage, $"Expected the failure at {stage}, got it at {report.FailedStage}: {report}");
        Assert.True(kind == report.ErrorKind, $"Expected {kind}, got {report.ErrorKind}: {report}");
        Assert.True(hintId == report.HintId, $"Expected the hint {hintId}, got {report.HintId}: {report}");
        Assert.False(string.IsNullOrWhiteSpace(report.Hint));
        Assert.False(string.IsNullOrWhiteSpace(report.Error));

        var failed = report.Steps.Where(s => s.Outcome == SmtpDiagnosticOutcome.Failed).ToList();
        var step = Assert.Single(failed);
        Assert.Equal(stage, step.Stage);
        Assert.NotNull(step.Duration);
        var index = report.Steps.ToList().IndexOf(step);
        Assert.All(report.Steps.Take(index), s => Assert.Contains(s.Outcome, (SmtpDiagnosticOutcome[])[SmtpDiagnosticOutcome.Succeeded, SmtpDiagnosticOutcome.Skipped]));
        Assert.All(report.Steps.Skip(index + 1), s => Assert.Contains(s.Outcome, (SmtpDiagnosticOutcome[])[SmtpDiagnosticOutcome.NotRun, SmtpDiagnosticOutcome.Skipped]));
        return step;
    }

    /// <summary>The report's server reply is <paramref name="code"/> with <paramref name="enhanced"/>, and the failed step shows it.</summary>
    public static void Reply(SmtpDiagnosticReport report, int code, string? enhanced, string text)
    {
        var reply = Assert.IsType<SmtpServerReply>(report.ServerReply);
        Assert.Equal(code, reply.StatusCode);
        Assert.Equal(enhanced, reply.EnhancedStatusCode);
        Assert.Contains(text, reply.Text, StringComparison.Ordinal);
        Assert.Equal(code, report.Steps.Single(s => s.Outcome == SmtpDiagnosticOutcome.Failed).Reply?.StatusCode);
    }
}
