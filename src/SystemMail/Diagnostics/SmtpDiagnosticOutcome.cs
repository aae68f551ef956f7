using System.Text.Json.Serialization;

namespace SystemMail;

/// <summary>How a stage of an <see cref="SmtpDiagnosticReport"/> ended.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SmtpDiagnosticOutcome>))]
public enum SmtpDiagnosticOutcome
{
    /// <summary>The stage ran and succeeded.</summary>
    Succeeded = 0,

    /// <summary>The stage ran and failed; the report says why and what to do.</summary>
    Failed = 1,

    /// <summary>The settings leave the stage out (no TLS with Security None, no AUTH with Authentication None, no DNS for an IP address).</summary>
    Skipped = 2,

    /// <summary>The stage was due but did not run, because an earlier stage failed.</summary>
    NotRun = 3,
}
