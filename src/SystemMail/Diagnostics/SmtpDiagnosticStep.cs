namespace SystemMail;

/// <summary>One stage of an <see cref="SmtpDiagnosticReport"/>: what ran, how it ended, how long it took and what the server said.</summary>
public sealed class SmtpDiagnosticStep
{
    /// <summary>Gets the stage.</summary>
    public required SmtpDiagnosticStage Stage { get; init; }

    /// <summary>Gets how the stage ended.</summary>
    public required SmtpDiagnosticOutcome Outcome { get; init; }

    /// <summary>Gets how long the stage took, or <see langword="null"/> when it did not run.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>
    /// Gets the facts of the stage in one line, not translated: the addresses a host resolved to, the address
    /// connected to, the TLS version and cipher suite, the capabilities, the SASL mechanism, or why it was skipped.
    /// </summary>
    public string? Detail { get; init; }

    /// <summary>Gets the server's last reply in this stage, or <see langword="null"/> when it sent none.</summary>
    public SmtpServerReply? Reply { get; init; }

    /// <summary>Returns the stage, outcome, duration and detail on one line.</summary>
    /// <returns>Such as <c>Tls Succeeded (12 ms): Tls13 TLS_AES_256_GCM_SHA384</c>.</returns>
    public override string ToString() =>
        $"{Stage} {Outcome}{(Duration is { } d ? $" ({d.TotalMilliseconds:0} ms)" : string.Empty)}" +
        $"{(Detail is null ? string.Empty : ": " + Detail)}{(Reply is null ? string.Empty : " [" + Reply + "]")}";
}
