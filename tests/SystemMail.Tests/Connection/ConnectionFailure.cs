using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using SystemMail.Tests.Diagnostics;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.Connection;

/// <summary>
/// How an attempt through one <see cref="EntryPoint"/> failed, in the terms both share (kind, hint, summary, the
/// server's reply), with the exception a send threw or the report a diagnostic wrote.
/// </summary>
internal sealed class ConnectionFailure
{
    public const string Recipient = "someone@example.com";

    private ConnectionFailure(EntryPoint entryPoint, CultureInfo culture)
    {
        EntryPoint = entryPoint;
        Culture = culture;
    }

    public EntryPoint EntryPoint { get; }

    public CultureInfo Culture { get; }

    public SystemMailErrorKind Kind { get; private init; }

    public string? HintId { get; private init; }

    /// <summary>Gets the hint in <see cref="Culture"/>.</summary>
    public string Hint { get; private init; } = string.Empty;

    /// <summary>Gets what went wrong, in English, without the hint: the exception's summary, the report's error.</summary>
    public string Summary { get; private init; } = string.Empty;

    public int? StatusCode { get; private init; }

    public string? EnhancedStatusCode { get; private init; }

    public string? ServerResponse { get; private init; }

    /// <summary>Gets what a send threw, or <see langword="null"/> for a diagnostic.</summary>
    public SystemMailException? Exception { get; private init; }

    /// <summary>Gets what a diagnostic reported, or <see langword="null"/> for a send.</summary>
    public SmtpDiagnosticReport? Report { get; private init; }

    /// <summary>Sends a test mail, or runs "Test connection", and returns how it failed (it must fail).</summary>
    public static Task<ConnectionFailure> ProvokeAsync(TestMailer mail, EntryPoint entryPoint, CultureInfo? culture = null) =>
        ProvokeAsync(mail.Services, entryPoint, culture);

    /// <summary>Sends a test mail, or runs "Test connection", with a host's services, and returns how it failed (it must fail).</summary>
    public static async Task<ConnectionFailure> ProvokeAsync(IServiceProvider services, EntryPoint entryPoint, CultureInfo? culture = null)
    {
        var ct = TestContext.Current.CancellationToken;
        culture ??= CultureInfo.InvariantCulture;
        if (entryPoint == EntryPoint.Send)
        {
            var mailer = services.GetRequiredService<ISystemMailer>();
            return Thrown(entryPoint, culture, await Assert.ThrowsAsync<SystemMailException>(() => mailer.SendTestMailAsync(Recipient, cancellationToken: ct)));
        }

        return Reported(entryPoint, culture, await services.GetRequiredService<ISystemMailDiagnostics>().TestConnectionAsync(culture, ct));
    }

    /// <summary>
    /// Sends a test mail through the mailer, or the diagnostic's test mail ("Send test email"), to
    /// <paramref name="recipient"/>, and returns how it failed (it must fail): the way to MAIL FROM, RCPT TO and DATA
    /// through both entry points.
    /// </summary>
    public static async Task<ConnectionFailure> SendTestMailAsync(TestMailer mail, EntryPoint entryPoint, string recipient = Recipient, CultureInfo? culture = null)
    {
        var ct = TestContext.Current.CancellationToken;
        culture ??= CultureInfo.InvariantCulture;
        if (entryPoint == EntryPoint.Send)
        {
            return Thrown(entryPoint, culture, await Assert.ThrowsAsync<SystemMailException>(() => mail.Mailer.SendTestMailAsync(recipient, cancellationToken: ct)));
        }

        return Reported(entryPoint, culture, await mail.Diagnostics().SendTestMailAsync(recipient, culture, ct));
    }

    /// <summary>
    /// Both entry points: the kind and the hint (its id and its text). A diagnostic also failed at
    /// <paramref name="stage"/>, after every stage before it ran, with none after it.
    /// </summary>
    /// <returns>The failed step of a diagnostic, or <see langword="null"/> for a send.</returns>
    public SmtpDiagnosticStep? Is(SystemMailErrorKind kind, Hint hint, SmtpDiagnosticStage stage)
    {
        var step = Is(kind, hint.Id, stage);
        Assert.Equal(hint.Text(Culture), Hint);
        return step;
    }

    /// <summary>As <see cref="Is(SystemMailErrorKind, SystemMail.Hint, SmtpDiagnosticStage)"/>, by the hint's id alone.</summary>
    /// <returns>The failed step of a diagnostic, or <see langword="null"/> for a send.</returns>
    public SmtpDiagnosticStep? Is(SystemMailErrorKind kind, string hintId, SmtpDiagnosticStage stage)
    {
        Assert.True(kind == Kind, $"Expected {kind}, got {Kind} through {EntryPoint}: {Summary}");
        Assert.True(hintId == HintId, $"Expected the hint {hintId}, got {HintId} through {EntryPoint}: {Summary}");
        Assert.False(string.IsNullOrWhiteSpace(Hint));
        return Report is { } report ? DiagnosticAssert.FailedAt(report, stage, kind, hintId) : null;
    }

    /// <summary>The server's reply, both entry points; a diagnostic's failed step shows it too.</summary>
    public void Reply(int code, string? enhanced, string text)
    {
        Assert.Equal(code, StatusCode);
        Assert.Equal(enhanced, EnhancedStatusCode);
        Assert.Contains(text, ServerResponse, StringComparison.Ordinal);
        if (Report is { } report)
        {
            DiagnosticAssert.Reply(report, code, enhanced, text);
        }
    }

    /// <summary>No form of the password (or proxy password) anywhere: not in the exception, not in the report.</summary>
    public void HasNoSecret(string password, string username)
    {
        if (Exception is { } ex)
        {
            SecretAssert.NotIn(ex, password, username);
        }

        if (Report is { } report)
        {
            TranscriptAssert.NoPassword(report, password, username);
        }
    }

    private static ConnectionFailure Thrown(EntryPoint entryPoint, CultureInfo culture, SystemMailException ex) => new(entryPoint, culture)
    {
        Kind = ex.Kind,
        HintId = ex.HintId,
        Hint = ex.GetHint(culture) ?? string.Empty,
        Summary = ex.Summary,
        StatusCode = ex.StatusCode,
        EnhancedStatusCode = ex.EnhancedStatusCode,
        ServerResponse = ex.ServerResponse,
        Exception = ex,
    };

    private static ConnectionFailure Reported(EntryPoint entryPoint, CultureInfo culture, SmtpDiagnosticReport report)
    {
        Assert.False(report.Succeeded, report.ToString());
        return new ConnectionFailure(entryPoint, culture)
        {
            Kind = report.ErrorKind!.Value,
            HintId = report.HintId,
            Hint = report.Hint ?? string.Empty,
            Summary = report.Error ?? string.Empty,
            StatusCode = report.ServerReply?.StatusCode,
            EnhancedStatusCode = report.ServerReply?.EnhancedStatusCode,
            ServerResponse = report.ServerReply?.Text,
            Report = report,
        };
    }

    public override string ToString() => $"{EntryPoint}: {Kind} {HintId} {Summary}";
}
