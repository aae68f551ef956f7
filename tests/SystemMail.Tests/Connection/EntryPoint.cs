namespace SystemMail.Tests.Connection;

/// <summary>The two ways SystemMail opens an SMTP connection; both go through the one connector.</summary>
public enum EntryPoint
{
    /// <summary>A mail sent through the pool (<see cref="ISystemMailer.SendTestMailAsync"/>), which throws.</summary>
    Send,

    /// <summary>
    /// "Test connection" (<see cref="ISystemMailDiagnostics.TestConnectionAsync(System.Globalization.CultureInfo?, CancellationToken)"/>),
    /// or past the login "Send test email" (<see cref="ISystemMailDiagnostics.SendTestMailAsync(string, System.Globalization.CultureInfo?, CancellationToken)"/>), which report.
    /// </summary>
    Diagnostic,
}
