using System.Security.Authentication;
using MailKit.Security;
using static SystemMail.SmtpFailure;

namespace SystemMail;

/// <summary>Classifies TLS with the SMTP server that failed or was not offered, with the hint for its likely cause.</summary>
internal static class TlsFailureClassifier
{
    /// <summary>The handshake failed: the certificate, the protocol versions, or TLS against a port that does not speak it.</summary>
    public static SystemMailException ClassifyHandshake(Exception exception, SmtpSettings settings) =>
        Create(SystemMailErrorKind.Tls, $"The TLS handshake with {settings.Endpoint} failed", HandshakeHint(exception, settings), default, exception);

    /// <summary>MailKit's answer to a server whose EHLO offers no STARTTLS when the settings require it.</summary>
    public static SystemMailException ClassifyStartTlsNotOffered(Exception exception, SmtpSettings settings) =>
        Create(SystemMailErrorKind.Configuration, $"The server at {settings.Endpoint} does not support STARTTLS", Hints.StartTlsNotOffered(settings.Endpoint), default, exception);

    /// <summary>A TLS client hello answered by a plain "220" greeting surfaces as an I/O or protocol error.</summary>
    public static SystemMailException ClassifyPlainAnswerToHandshake(Exception exception, SmtpSettings settings) =>
        Create(SystemMailErrorKind.Tls, $"The TLS handshake with {settings.Endpoint} failed", Hints.ImplicitTlsAgainstPlainPort(settings.Endpoint), default, exception);

    private static Hint HandshakeHint(Exception exception, SmtpSettings settings)
    {
        // MailKit's own message lists every possible cause; the platform's inner messages say which one it was.
        var text = string.Join(" | ", Chain(exception).Where(e => e is not SslHandshakeException).Select(e => e.Message));
        var endpoint = settings.Endpoint;
        if (exception is SslHandshakeException { ServerCertificate: not null } ||
            text.Contains("certificate", StringComparison.OrdinalIgnoreCase))
        {
            return Hints.CertificateUntrusted(endpoint);
        }

        if (text.Contains("protocol version", StringComparison.OrdinalIgnoreCase) ||
            text.Contains("no protocols available", StringComparison.OrdinalIgnoreCase) ||
            text.Contains("unsupported protocol", StringComparison.OrdinalIgnoreCase))
        {
            return settings.MinimumTlsVersion == SslProtocols.Tls13
                ? Hints.Tls13NotOffered(endpoint)
                : Hints.ServerTlsTooOld(endpoint);
        }

        return settings.Security == SmtpSecurity.SslOnConnect
            ? Hints.ImplicitTlsAgainstPlainPort(endpoint)
            : Hints.TlsFailed(endpoint);
    }
}
