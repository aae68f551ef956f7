using System.Text.Json.Serialization;

namespace SystemMail;

/// <summary>What an <see cref="SmtpDiagnosticReport"/> tried.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SmtpDiagnosticOperation>))]
public enum SmtpDiagnosticOperation
{
    /// <summary>Connect, secure, authenticate and quit without sending (<see cref="ISystemMailDiagnostics.TestConnectionAsync(System.Globalization.CultureInfo?, CancellationToken)"/>).</summary>
    TestConnection = 0,

    /// <summary>The same, then send the test mail (<see cref="ISystemMailDiagnostics.SendTestMailAsync(string, System.Globalization.CultureInfo?, CancellationToken)"/>).</summary>
    SendTestMail = 1,
}
