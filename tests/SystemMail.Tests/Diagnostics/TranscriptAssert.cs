using System.Text;
using System.Text.Json;

namespace SystemMail.Tests.Diagnostics;

/// <summary>Assertions that a report (its transcript, its texts, its JSON) holds no password or token in any form SASL sends.</summary>
internal static class TranscriptAssert
{
    /// <summary>
    /// No password: as it is, as AUTH LOGIN sends it (base64 alone), as AUTH PLAIN sends it (base64 of "\0user\0password"),
    /// as an HTTP proxy's Basic Proxy-Authorization carries it (base64 of "user:password").
    /// </summary>
    public static void NoPassword(SmtpDiagnosticReport report, string password, string username) =>
        NotIn(report, [
            password,
            Base64(password),
            Base64($"\0{username}\0{password}"),
            Base64($"{username}\0{username}\0{password}"),
            Base64($"{username}:{password}"),
        ]);

    /// <summary>No access token: as it is, in base64, and as XOAUTH2 sends it (base64 of "user=…\x01auth=Bearer …\x01\x01").</summary>
    public static void NoToken(SmtpDiagnosticReport report, string token, string username) =>
        NotIn(report, [
            token,
            Base64(token),
            Base64($"user={username}\u0001auth=Bearer {token}\u0001\u0001"),
        ]);

    private static void NotIn(SmtpDiagnosticReport report, IReadOnlyList<string> forms)
    {
        var json = JsonSerializer.Serialize(report);
        foreach (var form in forms)
        {
            Assert.False(report.Transcript.Contains(form, StringComparison.Ordinal), $"A secret appears in the transcript: {report.Transcript}");
            Assert.False(json.Contains(form, StringComparison.Ordinal), $"A secret appears in the report's JSON: {json}");
            Assert.False(report.ToString().Contains(form, StringComparison.Ordinal), "A secret appears in the report's text.");
        }
    }

    private static string Base64(string value) => Convert.ToBase64String(Encoding.UTF8.GetBytes(value));
}
