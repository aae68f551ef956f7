using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;

namespace SystemMail;

/// <summary>
/// What a connection test or a test mail found, stage by stage, for a host to show as it is or to return as JSON:
/// each stage with its outcome and duration, the failing stage, the server's reply, a hint in the administrator's
/// language and the SMTP transcript with every secret redacted.
/// </summary>
/// <remarks>
/// <para>The report never contains a password, an API key, a client secret or a token: the transcript is written
/// by MailKit's protocol logger, whose authentication secret detector replaces credentials with <c>********</c>; with
/// Microsoft Graph, the transcript names the requests and answers and shows the bearer token as <c>********</c>.</para>
/// <para>It serializes with <c>System.Text.Json</c> as it is (enums as strings) and reads back the same.</para>
/// </remarks>
public sealed class SmtpDiagnosticReport
{
    /// <summary>Gets what was tried.</summary>
    public required SmtpDiagnosticOperation Operation { get; init; }

    /// <summary>Gets whether every stage that ran succeeded.</summary>
    public required bool Succeeded { get; init; }

    /// <summary>Gets when the test started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Gets how long the whole test took.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>Gets the provider template id of the settings tested, such as <c>google</c>.</summary>
    public string? Provider { get; init; }

    /// <summary>Gets the SMTP host tested.</summary>
    public string? Host { get; init; }

    /// <summary>Gets the SMTP port tested.</summary>
    public int? Port { get; init; }

    /// <summary>Gets how the connection was secured.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<SmtpSecurity>))]
    public SmtpSecurity? Security { get; init; }

    /// <summary>Gets how SystemMail authenticated.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<SmtpAuthenticationType>))]
    public SmtpAuthenticationType? Authentication { get; init; }

    /// <summary>Gets the user name SystemMail authenticated as.</summary>
    public string? Username { get; init; }

    /// <summary>Gets the sender address (<see cref="SystemMailOptions.From"/> without its display name).</summary>
    public string? From { get; init; }

    /// <summary>Gets the recipient address of the test mail, for <see cref="SmtpDiagnosticOperation.SendTestMail"/>.</summary>
    public string? Recipient { get; init; }

    /// <summary>
    /// Gets the settings left blank in unsaved settings whose stored value was used, such as <c>Password</c>,
    /// <c>OAuth2.ClientSecret</c> or <c>Proxy.Password</c>. Never the values.
    /// </summary>
    public IReadOnlyList<string> StoredSecretsUsed { get; init; } = [];

    /// <summary>Gets every stage in the order it ran (or was due), with its outcome, duration, facts and last server reply.</summary>
    public IReadOnlyList<SmtpDiagnosticStep> Steps { get; init; } = [];

    /// <summary>Gets the stage that failed, or <see langword="null"/> when the test succeeded.</summary>
    public SmtpDiagnosticStage? FailedStage { get; init; }

    /// <summary>Gets what kind of failure it was, or <see langword="null"/> when the test succeeded.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<SystemMailErrorKind>))]
    public SystemMailErrorKind? ErrorKind { get; init; }

    /// <summary>Gets what went wrong, in English (as logs have it), or <see langword="null"/>.</summary>
    public string? Error { get; init; }

    /// <summary>Gets the server's reply that failed the test, or <see langword="null"/> when the server did not answer.</summary>
    public SmtpServerReply? ServerReply { get; init; }

    /// <summary>Gets what the administrator should do, in the language of <see cref="HintLanguage"/>, or <see langword="null"/>.</summary>
    public string? Hint { get; init; }

    /// <summary>
    /// Gets the stable id of the hint, such as <c>GoogleAppPasswordRequired</c> or <c>ConnectTimeout</c>, for a host
    /// that shows its own text or a help link per hint; <see langword="null"/> when there is no hint.
    /// </summary>
    public string? HintId { get; init; }

    /// <summary>Gets the language of <see cref="Hint"/>: <c>en</c> or <c>zh-Hans</c>.</summary>
    public string HintLanguage { get; init; } = "en";

    /// <summary>Gets the IP address and port connected to, such as <c>142.250.102.109:465</c>.</summary>
    public string? RemoteEndPoint { get; init; }

    /// <summary>Gets what the TLS handshake negotiated and the server's certificate, or <see langword="null"/> when no handshake started.</summary>
    public SmtpTlsInfo? Tls { get; init; }

    /// <summary>Gets the server's greeting text, such as <c>smtp.gmail.com ESMTP … - gsmtp</c>.</summary>
    public string? Greeting { get; init; }

    /// <summary>Gets the capabilities of the server's last EHLO reply, such as <c>SIZE 35882577</c>, <c>AUTH LOGIN PLAIN XOAUTH2</c>.</summary>
    public IReadOnlyList<string> Capabilities { get; init; } = [];

    /// <summary>
    /// Gets the SASL mechanism SystemMail authenticated with, such as <c>PLAIN</c> or <c>XOAUTH2</c>; after a refusal,
    /// the last one tried (MailKit tries each mechanism the server offers; the Authenticate step lists them all).
    /// </summary>
    public string? AuthenticationMechanism { get; init; }

    /// <summary>Gets the Message-Id of the test mail, without angle brackets, to find it in the server's logs.</summary>
    public string? MessageId { get; init; }

    /// <summary>Gets Microsoft Graph's <c>request-id</c> of its last answer, to quote to Microsoft support; <see langword="null"/> over SMTP.</summary>
    public string? RequestId { get; init; }

    /// <summary>
    /// Gets the SMTP conversation as MailKit's protocol logger wrote it (<c>C:</c> client, <c>S:</c> server), with
    /// credentials replaced by <c>********</c> and the test mail's content left out.
    /// </summary>
    public string Transcript { get; init; } = string.Empty;

    /// <summary>Returns a plain-text summary: the outcome, each stage, the reply and the hint.</summary>
    /// <returns>Several lines, for a log or a console.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Operation} {Host}:{Port} ({Security}, {Authentication}): ");
        text.AppendLine(Succeeded ? "succeeded" : $"failed at {FailedStage} ({ErrorKind})");
        foreach (var step in Steps)
        {
            text.Append("  ").AppendLine(step.ToString());
        }

        if (Error is not null)
        {
            text.AppendLine(Error);
        }

        if (Hint is not null)
        {
            text.AppendLine(Hint);
        }

        return text.ToString();
    }
}
