using System.Net;
using System.Net.Security;
using System.Security.Authentication;

namespace SystemMail;

/// <summary>Turns what <see cref="SmtpConnector"/> reports while it connects into the stages of a <see cref="DiagnosticRun"/>.</summary>
internal sealed class DiagnosticConnectionObserver : ISmtpConnectionObserver
{
    private readonly DiagnosticRun _run;
    private readonly SmtpSettings _settings;

    public DiagnosticConnectionObserver(DiagnosticRun run, SmtpSettings settings)
    {
        _run = run;
        _settings = settings;
    }

    public void OnResolving(string host) => _run.Begin(SmtpDiagnosticStage.ResolveHost);

    public void OnResolved(IReadOnlyList<IPAddress> addresses, bool hostIsAddress)
    {
        if (hostIsAddress)
        {
            _run.Skip(SmtpDiagnosticStage.ResolveHost, "Host is an IP address");
        }
        else
        {
            _run.Succeed(string.Join(", ", addresses));
        }
    }

    public void OnConnecting(IReadOnlyList<IPAddress> addresses, int port) => _run.Begin(SmtpDiagnosticStage.Connect);

    public void OnConnected(EndPoint remoteEndPoint)
    {
        _run.RemoteEndPoint = remoteEndPoint.ToString();
        _run.Succeed(_run.RemoteEndPoint);
    }

    public void OnConnectingThroughProxy(string proxyEndpoint)
    {
        _run.Skip(SmtpDiagnosticStage.ResolveHost, $"resolved by the proxy {proxyEndpoint}");
        _run.Begin(SmtpDiagnosticStage.Connect);
    }

    public void OnTunnelOpened(string proxyEndpoint) => _run.Succeed($"through the proxy {proxyEndpoint}");

    public void OnConversationStarting() =>
        _run.Begin(_settings.Security == SmtpSecurity.SslOnConnect ? SmtpDiagnosticStage.Tls : SmtpDiagnosticStage.Greeting);

    public void OnConversationStarted(SslProtocols? protocol, TlsCipherSuite? cipherSuite)
    {
        _run.Succeed();
        if (protocol is { } secured)
        {
            _run.OnSecured(secured.ToString(), cipherSuite?.ToString());
        }
    }

    public void OnCertificateValidated(SmtpTlsInfo certificate) => _run.OnCertificate(certificate);

    public void OnAuthenticating() => _run.Begin(SmtpDiagnosticStage.Authenticate);

    public void OnAuthenticated(string? mechanism) => _run.Succeed(mechanism);

    public void OnFailed(SystemMailException failure)
    {
        if (DestinationPolicy.IsRefusal(failure))
        {
            // Refused before any connection: the settings are what failed, and no stage after them ran.
            _run.Fail(failure, at: SmtpDiagnosticStage.Settings);
            return;
        }

        // The report has the transcript: a failure SystemMail does not recognize points there.
        var reported = failure.LocalizableHint?.Id == nameof(Hints.Unknown)
            ? SmtpConnector.Refine(failure, failure.Kind, Hints.UnknownFailure, failure.Summary)
            : failure;
        _run.Fail(reported, _run.CurrentErrorReply);
    }

    public void OnSenderAccepted(SmtpServerReply reply) => _run.OnSenderAccepted(reply);

    public void OnRecipientAccepted(SmtpServerReply reply) => _run.OnRecipientAccepted(reply);
}
