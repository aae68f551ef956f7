using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using MailKit.Net.Smtp;

namespace SystemMail;

/// <summary>
/// The failures half of <see cref="SmtpConnector"/>: a failed connection classified like any failed send
/// (<see cref="SmtpFailureClassifier"/>), then refined with what only the connector saw: the stage it reached, the
/// server's error reply in it, the certificate validation rejected, and whether a silent port speaks TLS.
/// </summary>
internal sealed partial class SmtpConnector
{
    /// <summary>A classified failure with a more precise kind, hint and summary; the server's reply and the cause are kept.</summary>
    public static SystemMailException Refine(SystemMailException classified, SystemMailErrorKind kind, Hint hint, string summary) =>
        new(
            kind,
            summary.EndsWith('.') ? summary : summary + ".",
            hint,
            classified.StatusCode,
            classified.EnhancedStatusCode,
            classified.ServerResponse,
            classified.InnerException ?? classified);

    private async Task<SystemMailException> ClassifyAsync(
        Exception exception,
        SmtpSettings settings,
        SmtpConnectionTrace trace,
        SystemMailSmtpClient client,
        CancellationToken cancellationToken)
    {
        var stage = trace.Stage;
        var classified = SmtpFailureClassifier.Classify(exception, stage, settings, trace.ErrorReply);
        var endpoint = settings.Endpoint;
        var unrecognized = classified.LocalizableHint?.Id is nameof(Hints.Unknown) or nameof(Hints.Transient);
        switch (stage)
        {
            case SmtpStage.Resolve when exception is ArgumentException:
                return Refine(classified, SystemMailErrorKind.Connection, Hints.HostNotFound(settings.Host), $"'{settings.Host}' is not a host name that can be resolved");

            case SmtpStage.Greeting when trace.GreetingNotSmtp:
                // Another service on the port (a web or SSH server): its words are neither shown nor kept.
                return new SystemMailException(
                    SystemMailErrorKind.Connection,
                    $"{endpoint} is not an SMTP server: its first reply is not an SMTP greeting.",
                    Hints.NotSmtpServer(endpoint));

            case SmtpStage.Greeting when IsTimeout(exception):
                // Connected, but no greeting: either the port speaks TLS first (465 by convention), or something holds the connection.
                if (settings.Security != SmtpSecurity.SslOnConnect &&
                    (settings.Port == 465 || (trace.RemoteEndPoint is { } remote && await SpeaksImplicitTlsAsync(remote, settings, cancellationToken).ConfigureAwait(false))))
                {
                    return Refine(classified, SystemMailErrorKind.Tls, Hints.PlainAgainstImplicitTlsPort(endpoint), $"{endpoint} sent no greeting with {settings.Security}: it waits for a TLS handshake");
                }

                return Refine(classified, SystemMailErrorKind.Timeout, Hints.GreetingTimeout(endpoint), $"{endpoint} accepted the connection but sent no greeting within {settings.GreetingTimeout.TotalSeconds:0.#} s");

            case SmtpStage.Greeting when exception is SmtpCommandException { StatusCode: >= (SmtpStatusCode)500 }:
                return Refine(classified, SystemMailErrorKind.Connection, Hints.ServerRefusedConnection(endpoint), $"The server at {endpoint} refused the connection");

            case SmtpStage.Ehlo when exception is SmtpCommandException && unrecognized:
                return Refine(classified, SystemMailErrorKind.Configuration, Hints.EhloRefused(endpoint), $"The server at {endpoint} refused EHLO");

            case SmtpStage.Tls when exception is SmtpCommandException && unrecognized:
                return Refine(classified, SystemMailErrorKind.Tls, Hints.StartTlsRefused(endpoint), $"The server at {endpoint} refused STARTTLS");

            case SmtpStage.Tls when client.RejectedCertificate is { } certificate:
                return Refine(classified, SystemMailErrorKind.Tls, CertificateFacts.HintFor(certificate, settings), classified.Summary);
        }

        return classified;
    }

    /// <summary>
    /// After a plain connection got no greeting, checks whether the port answers a TLS handshake: the one way to tell
    /// "StartTls configured against an implicit-TLS port" from a server that does not answer at all. The probe goes to
    /// the end point that did not greet, sends nothing over the connection, and has a few seconds at most.
    /// </summary>
    private async Task<bool> SpeaksImplicitTlsAsync(IPEndPoint remote, SmtpSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            using var deadline = new Deadline(_time, TimeSpan.FromSeconds(Math.Min(5, settings.Timeout.TotalSeconds)), cancellationToken);
            var socket = await ConnectSocketAsync([remote.Address], remote.Port, deadline.Token).ConfigureAwait(false);
#pragma warning disable CA5359 // The probe sends nothing over this connection; it only asks whether the port speaks TLS.
            using var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false, (_, _, _, _) => true);
#pragma warning restore CA5359
            await ssl.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions { TargetHost = settings.Host, EnabledSslProtocols = settings.AllowedTlsVersions },
                deadline.Token).ConfigureAwait(false);
            return true;
        }
#pragma warning disable CA1031 // The probe only answers yes or no; any failure means "not implicit TLS".
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            return false;
        }
    }

    private static bool IsTimeout(Exception exception) =>
        exception is OperationCanceledException or TimeoutException ||
        exception.InnerException is SocketException { SocketErrorCode: SocketError.TimedOut } or TimeoutException;
}
