using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Proxy;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SystemMail;

/// <summary>Opens one SMTP connection: connect, secure, greet and authenticate, with failures classified.</summary>
internal sealed class SmtpConnector
{
    private readonly ISmtpAuthenticator? _oauth2;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public SmtpConnector(ILogger<SmtpConnector>? logger = null, ISmtpAuthenticator? oauth2 = null, TimeProvider? time = null)
    {
        _logger = logger ?? NullLogger<SmtpConnector>.Instance;
        _oauth2 = oauth2;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Opens and authenticates a client. The caller owns the returned client.</summary>
    public async Task<SystemMailSmtpClient> ConnectAsync(SmtpSettings settings, IProtocolLogger? protocolLogger, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var started = _time.GetTimestamp();
        if (settings.Authentication == SmtpAuthenticationType.OAuth2 && _oauth2 is not null)
        {
            // Token endpoint first, with its own timeout: its failures are its own, not the SMTP server's.
            await _oauth2.PrepareAsync(settings, cancellationToken).ConfigureAwait(false);
        }

        var client = protocolLogger is null ? new SystemMailSmtpClient() : new SystemMailSmtpClient(protocolLogger);
        var stage = SmtpStage.Connect;
        try
        {
            Configure(client, settings);
            using var budget = new CancellationTokenSource(settings.Timeout, _time);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);

            if (client.ProxyClient is { } proxy)
            {
                // The tunnel first, on its own: what fails before it stands is the proxy's failure, not the server's.
                stage = SmtpStage.Proxy;
                if (_logger.IsEnabled(LogLevel.Debug))
                {
                    Log.ConnectingThroughProxy(_logger, settings.Endpoint, settings.ProxyKind!, settings.ProxyEndpoint!);
                }

                var tunnel = await proxy.ConnectAsync(settings.Host, settings.Port, timeout.Token).ConfigureAwait(false);
                stage = SmtpStage.Connect;
                await ConnectOverAsync(client, tunnel, settings, timeout.Token).ConfigureAwait(false);
            }
            else
            {
                await client.ConnectAsync(settings.Host, settings.Port, ToSocketOptions(settings.Security), timeout.Token).ConfigureAwait(false);
            }

            stage = SmtpStage.Authenticate;
            await AuthenticateAsync(client, settings, timeout.Token).ConfigureAwait(false);

            if (_logger.IsEnabled(LogLevel.Debug))
            {
                var elapsed = (long)_time.GetElapsedTime(started).TotalMilliseconds;
                Log.ConnectionOpened(_logger, settings.Endpoint, settings.Security, settings.Authentication, settings.Username, elapsed);
            }

            return client;
        }
        catch (Exception ex)
        {
            client.Dispose();
            if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            if (ex is TimeoutException or OperationCanceledException && stage == SmtpStage.Connect &&
                settings.Security != SmtpSecurity.SslOnConnect && settings.Proxy is null &&
                await SpeaksImplicitTlsAsync(settings, _time, cancellationToken).ConfigureAwait(false))
            {
                throw new SystemMailException(
                    SystemMailErrorKind.Tls,
                    $"Connecting to {settings.Endpoint} with {settings.Security} timed out: the server waited for a TLS handshake.",
                    Hints.PlainAgainstImplicitTlsPort(settings.Endpoint),
                    innerException: ex);
            }

            throw SmtpFailureClassifier.Classify(ex, stage, settings);
        }
    }

    internal async Task AuthenticateAsync(SmtpClient client, SmtpSettings settings, CancellationToken cancellationToken)
    {
        switch (settings.Authentication)
        {
            case SmtpAuthenticationType.Basic:
                // XOAUTH2 needs a token, not a password; never let MailKit pick it for Basic credentials.
                client.AuthenticationMechanisms.Remove("XOAUTH2");
                client.AuthenticationMechanisms.Remove("OAUTHBEARER");
                await client.AuthenticateAsync(new NetworkCredential(settings.Username, settings.Options.Password), cancellationToken).ConfigureAwait(false);
                break;
            case SmtpAuthenticationType.OAuth2:
                if (_oauth2 is null)
                {
                    throw new SystemMailException(
                        SystemMailErrorKind.Configuration,
                        "Authentication is OAuth2, but no OAuth2 token source is registered.",
                        "Register one with services.AddSystemMail(...), which adds it, or set Authentication to Basic.");
                }

                await _oauth2.AuthenticateAsync(client, settings, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    internal static void Configure(SmtpClient client, SmtpSettings settings)
    {
        var options = settings.Options;
        client.Timeout = (int)Math.Min(int.MaxValue, settings.Timeout.TotalMilliseconds);
        client.SslProtocols = settings.AllowedTlsVersions;
        client.CheckCertificateRevocation = options.CheckCertificateRevocation;
        if (settings.CertificateValidation is { } validate)
        {
            client.ServerCertificateValidationCallback = validate;
        }

        if (!string.IsNullOrWhiteSpace(options.LocalDomain))
        {
            client.LocalDomain = options.LocalDomain;
        }

        if (settings.Proxy is { } proxy)
        {
            var proxyHost = proxy.Host!.Trim();
            var credentials = string.IsNullOrEmpty(proxy.Username) ? null : new NetworkCredential(proxy.Username, proxy.Password);
            client.ProxyClient = proxy.Type switch
            {
                SmtpProxyType.Socks4 => credentials is null ? new Socks4aClient(proxyHost, proxy.Port) : new Socks4aClient(proxyHost, proxy.Port, credentials),
                SmtpProxyType.Http => credentials is null ? new HttpProxyClient(proxyHost, proxy.Port) : new HttpProxyClient(proxyHost, proxy.Port, credentials),
                SmtpProxyType.Https => credentials is null ? new HttpsProxyClient(proxyHost, proxy.Port) : new HttpsProxyClient(proxyHost, proxy.Port, credentials),
                _ => credentials is null ? new Socks5Client(proxyHost, proxy.Port) : new Socks5Client(proxyHost, proxy.Port, credentials),
            };
        }
    }

    /// <summary>
    /// Has MailKit greet (and secure) over a stream already open to the server: a proxy's tunnel, or the diagnostics'
    /// own socket. The stream is disposed when that fails.
    /// </summary>
    internal static async Task ConnectOverAsync(SmtpClient client, Stream stream, SmtpSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            await client.ConnectAsync(stream, settings.Host, settings.Port, ToSocketOptions(settings.Security), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // MailKit disposes the stream itself on most failures; disposing it again is harmless and covers the rest.
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    internal static SecureSocketOptions ToSocketOptions(SmtpSecurity security) => security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTls,
    };

    /// <summary>
    /// After a plain connection got no greeting, checks whether the port answers a TLS handshake: the one way
    /// to tell "StartTls configured against an implicit-TLS port" from a server that does not answer at all.
    /// </summary>
    internal static async Task<bool> SpeaksImplicitTlsAsync(SmtpSettings settings, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            using var probeBudget = new CancellationTokenSource(TimeSpan.FromSeconds(Math.Min(5, settings.Timeout.TotalSeconds)), time);
            using var probeTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, probeBudget.Token);
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(settings.Host, settings.Port, probeTimeout.Token).ConfigureAwait(false);
#pragma warning disable CA5359 // The probe sends nothing over this connection; it only asks whether the port speaks TLS.
            using var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);
#pragma warning restore CA5359
            await ssl.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions { TargetHost = settings.Host, EnabledSslProtocols = settings.AllowedTlsVersions },
                probeTimeout.Token).ConfigureAwait(false);
            return true;
        }
#pragma warning disable CA1031 // The probe only answers yes or no; any failure means "not implicit TLS".
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }
}
