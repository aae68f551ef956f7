using System.Net;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MimeKit;

namespace SystemMail;

/// <summary>
/// Runs the SMTP conversation of one diagnostic stage by stage on a connection of its own: resolve, connect, TLS,
/// greeting and EHLO, AUTH, then optionally MAIL FROM, RCPT TO and DATA; every failure is classified like a failed
/// send (<see cref="SmtpFailureClassifier"/>) and refined with what only a stage-by-stage run sees.
/// </summary>
internal sealed class DiagnosticConversation
{
    private readonly SmtpConnector _connector;
    private readonly SmtpSettings _settings;
    private readonly DiagnosticRun _run;
    private readonly TimeProvider _time;

    public DiagnosticConversation(SmtpConnector connector, SmtpSettings settings, DiagnosticRun run, TimeProvider time)
    {
        _connector = connector;
        _settings = settings;
        _run = run;
        _time = time;
    }

    /// <summary>Runs the stages; a failure ends in the run, only the caller's cancellation is thrown.</summary>
    /// <param name="message">The test mail, or <see langword="null"/> to quit after authenticating.</param>
    /// <param name="beforeAuthentication">A check that can refuse authentication without a word to the server.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The transcript.</returns>
    public async Task<string> RunAsync(MimeMessage? message, Func<SystemMailException?> beforeAuthentication, CancellationToken cancellationToken)
    {
        using var logger = new DiagnosticProtocolLogger(_run);
        using var client = new DiagnosticSmtpClient(logger, _run);
        SmtpConnector.Configure(client, _settings);
        client.ObserveCertificateValidation();
        try
        {
            using (var budget = new CancellationTokenSource(_settings.Timeout, _time))
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token))
            {
                // One budget for connecting and authenticating, as a pooled connection has.
                await ConnectAsync(client, timeout.Token).ConfigureAwait(false);
                await AuthenticateAsync(client, beforeAuthentication, timeout.Token).ConfigureAwait(false);
            }

            if (message is not null)
            {
                using var budget = new CancellationTokenSource(_settings.Timeout, _time);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
                _run.Begin(SmtpDiagnosticStage.MailFrom);
                await client.SendAsync(message, timeout.Token).ConfigureAwait(false);
                _run.Succeed();
                _run.MessageId = message.MessageId;
            }

            await QuitAsync(client, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var failure = await ClassifyAsync(ex, cancellationToken).ConfigureAwait(false);
            _run.Fail(failure, _run.CurrentErrorReply);

            // After a refused command the server still listens: say goodbye, as a mail client does.
            if (client.IsConnected && ex is SmtpCommandException or MailKit.Security.AuthenticationException or ServiceNotAuthenticatedException or SystemMailException)
            {
                await QuitAsync(client, cancellationToken).ConfigureAwait(false);
            }
        }

        return logger.Transcript;
    }

    private async Task ConnectAsync(DiagnosticSmtpClient client, CancellationToken cancellationToken)
    {
        var host = _settings.Host;
        Stream stream;
        if (client.ProxyClient is { } proxy)
        {
            _run.Skip(SmtpDiagnosticStage.ResolveHost, $"resolved by the proxy {proxy.ProxyHost}:{proxy.ProxyPort}");
            _run.Begin(SmtpDiagnosticStage.Connect);
            stream = await proxy.ConnectAsync(host, _settings.Port, cancellationToken).ConfigureAwait(false);
            _run.Succeed($"through the proxy {proxy.ProxyHost}:{proxy.ProxyPort}");
        }
        else
        {
            IPAddress[] addresses;
            if (IPAddress.TryParse(host, out var address))
            {
                _run.Skip(SmtpDiagnosticStage.ResolveHost, "Host is an IP address");
                addresses = [address];
            }
            else
            {
                _run.Begin(SmtpDiagnosticStage.ResolveHost);
                addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
                if (addresses.Length == 0)
                {
                    throw new SocketException((int)SocketError.HostNotFound);
                }

                _run.Succeed(string.Join(", ", addresses.Select(a => a.ToString())));
            }

            _run.Begin(SmtpDiagnosticStage.Connect);
            var socket = await ConnectSocketAsync(addresses, _settings.Port, cancellationToken).ConfigureAwait(false);
            _run.RemoteEndPoint = socket.RemoteEndPoint?.ToString();
            _run.Succeed(_run.RemoteEndPoint);
            stream = new NetworkStream(socket, ownsSocket: true);
        }

        _run.Begin(_settings.Security == SmtpSecurity.SslOnConnect ? SmtpDiagnosticStage.Tls : SmtpDiagnosticStage.Greeting);
        await SmtpConnector.ConnectOverAsync(client, stream, _settings, cancellationToken).ConfigureAwait(false);

        _run.Succeed();
        if (client.IsSecure)
        {
            _run.OnSecured(client.SslProtocol.ToString(), client.SslCipherSuite?.ToString());
        }
    }

    private async Task AuthenticateAsync(DiagnosticSmtpClient client, Func<SystemMailException?> beforeAuthentication, CancellationToken cancellationToken)
    {
        if (_settings.Authentication == SmtpAuthenticationType.None)
        {
            return;
        }

        _run.Begin(SmtpDiagnosticStage.Authenticate);
        if (beforeAuthentication() is { } refused)
        {
            throw refused;
        }

        await _connector.AuthenticateAsync(client, _settings, cancellationToken).ConfigureAwait(false);
        _run.Succeed(_run.AuthenticationMechanism);
    }

    private static async Task<Socket> ConnectSocketAsync(IPAddress[] addresses, int port, CancellationToken cancellationToken)
    {
        Exception? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken).ConfigureAwait(false);
                return socket;
            }
            catch (SocketException ex)
            {
                // Like MailKit: the next address may answer (localhost resolves to ::1 and 127.0.0.1).
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    private async Task QuitAsync(SmtpClient client, CancellationToken cancellationToken)
    {
        try
        {
            using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(5), _time);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
            await client.DisconnectAsync(quit: true, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SmtpProtocolException or SmtpCommandException or OperationCanceledException or SocketException)
        {
            // The test already passed; a server that drops the connection on QUIT changes nothing.
        }
    }

    private async Task<SystemMailException> ClassifyAsync(Exception exception, CancellationToken cancellationToken)
    {
        var stage = _run.FailingStage;
        var observed = _run.CurrentErrorReply is { } reply ? new SmtpReply(reply.StatusCode, reply.EnhancedStatusCode, reply.Text) : (SmtpReply?)null;
        var smtpStage = stage switch
        {
            SmtpDiagnosticStage.Authenticate => SmtpStage.Authenticate,
            SmtpDiagnosticStage.MailFrom or SmtpDiagnosticStage.RcptTo or SmtpDiagnosticStage.Data => SmtpStage.Send,
            SmtpDiagnosticStage.Connect when _settings.Proxy is not null => SmtpStage.Proxy,
            _ => SmtpStage.Connect,
        };
        var endpoint = _settings.Endpoint;
        var classified = SmtpFailureClassifier.Classify(exception, smtpStage, _settings, observed);

        switch (stage)
        {
            case SmtpDiagnosticStage.ResolveHost when exception is ArgumentException:
                return Refine(classified, SystemMailErrorKind.Connection, Hints.HostNotFound(_settings.Host), $"'{_settings.Host}' is not a host name that can be resolved");

            case SmtpDiagnosticStage.Greeting when IsTimeout(exception):
                // Connected, but no greeting: either the port speaks TLS first, or something holds the connection.
                if (_settings.Security != SmtpSecurity.SslOnConnect && _settings.Proxy is null &&
                    await SmtpConnector.SpeaksImplicitTlsAsync(_settings, _time, cancellationToken).ConfigureAwait(false))
                {
                    return Refine(classified, SystemMailErrorKind.Tls, Hints.PlainAgainstImplicitTlsPort(endpoint), $"{endpoint} sent no greeting with {_settings.Security}: it waited for a TLS handshake");
                }

                return Refine(classified, SystemMailErrorKind.Timeout, Hints.GreetingTimeout(endpoint), $"{endpoint} accepted the connection but sent no greeting within {_settings.Timeout.TotalSeconds:0.#} s");

            case SmtpDiagnosticStage.Greeting when exception is SmtpCommandException { StatusCode: >= (SmtpStatusCode)500 }:
                return Refine(classified, SystemMailErrorKind.Connection, Hints.ServerRefusedConnection(endpoint), $"The server at {endpoint} refused the connection");

            case SmtpDiagnosticStage.Ehlo when exception is SmtpCommandException && classified.LocalizableHint?.Id is nameof(Hints.Unknown) or nameof(Hints.Transient):
                return Refine(classified, SystemMailErrorKind.Configuration, Hints.EhloRefused(endpoint), $"The server at {endpoint} refused EHLO");

            case SmtpDiagnosticStage.Tls when exception is SmtpCommandException && classified.LocalizableHint?.Id is nameof(Hints.Unknown) or nameof(Hints.Transient):
                return Refine(classified, SystemMailErrorKind.Tls, Hints.StartTlsRefused(endpoint), $"The server at {endpoint} refused STARTTLS");

            case SmtpDiagnosticStage.Tls when _run.Certificate is { CertificateAccepted: false } certificate:
                return Refine(classified, SystemMailErrorKind.Tls, CertificateHint(certificate), classified.Summary);
        }

        return classified.LocalizableHint?.Id == nameof(Hints.Unknown)
            ? Refine(classified, classified.Kind, Hints.UnknownFailure, classified.Summary)
            : classified;
    }

    private Hint CertificateHint(SmtpTlsInfo certificate)
    {
        var endpoint = _settings.Endpoint;
        if (certificate.CertificateErrors.Contains(nameof(System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch)))
        {
            var names = certificate.CertificateDnsNames.Count > 0
                ? string.Join(", ", certificate.CertificateDnsNames)
                : certificate.CertificateSubject ?? "another name";
            return Hints.CertificateNameMismatch(endpoint, _settings.Host, names);
        }

        if (certificate.CertificateErrors.Contains(nameof(System.Security.Cryptography.X509Certificates.X509ChainStatusFlags.NotTimeValid)))
        {
            return Hints.CertificateExpired(endpoint);
        }

        return certificate.CertificateErrors.Count > 0 ? Hints.CertificateChainUntrusted(endpoint) : Hints.CertificateUntrusted(endpoint);
    }

    private static bool IsTimeout(Exception exception) =>
        exception is OperationCanceledException or TimeoutException ||
        exception.InnerException is SocketException { SocketErrorCode: SocketError.TimedOut } or TimeoutException;

    private static SystemMailException Refine(SystemMailException classified, SystemMailErrorKind kind, Hint hint, string summary) =>
        new(
            kind,
            summary.EndsWith('.') ? summary : summary + ".",
            hint,
            classified.StatusCode,
            classified.EnhancedStatusCode,
            classified.ServerResponse,
            classified.InnerException ?? classified);
}
