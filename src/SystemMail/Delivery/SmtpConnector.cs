using System.Net;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SystemMail;

/// <summary>
/// Opens one SMTP connection, the one way SystemMail does: the OAuth2 token first, then resolve the host, connect (or
/// tunnel through the proxy), greet, secure and authenticate within one timeout, with failures classified. Pooled
/// connections and diagnostics both come from here; the diagnostics watch through an <see cref="ISmtpConnectionObserver"/>.
/// </summary>
internal sealed partial class SmtpConnector
{
    private readonly TimeProvider _time;
    private readonly ISmtpAuthenticator? _oauth2;
    private readonly ILogger _logger;

    public SmtpConnector(TimeProvider time, ILogger<SmtpConnector>? logger = null, ISmtpAuthenticator? oauth2 = null)
    {
        _time = time;
        _logger = logger ?? NullLogger<SmtpConnector>.Instance;
        _oauth2 = oauth2;
    }

    /// <summary>
    /// Checks, before a pooled connection that logged in with OAuth2 carries another mail, that its tokens are still
    /// usable: the token source reads the store at most every <see cref="SmtpOAuthOptions.StoreCheckInterval"/>, so
    /// tokens cleared on another instance stop this instance's connections too.
    /// </summary>
    /// <exception cref="SystemMailException">The tokens are no longer usable; the hint says how to get new ones.</exception>
    public Task CheckLoginAsync(SmtpSettings settings, CancellationToken cancellationToken) =>
        settings.Authentication == SmtpAuthenticationType.OAuth2 && _oauth2 is not null
            ? _oauth2.PrepareAsync(settings, cancellationToken)
            : Task.CompletedTask;

    /// <summary>Opens and authenticates a client. The caller owns the returned client.</summary>
    /// <param name="settings">The settings to connect with.</param>
    /// <param name="protocolLogger">Gets the conversation as MailKit logs it, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The connected, authenticated client.</returns>
    /// <exception cref="SystemMailException">The connection failed; the kind and hint say why.</exception>
    public Task<SystemMailSmtpClient> ConnectAsync(SmtpSettings settings, IProtocolLogger? protocolLogger, CancellationToken cancellationToken = default) =>
        ConnectAsync(settings, protocolLogger, observer: null, cancellationToken);

    /// <summary>Opens and authenticates a client, telling <paramref name="observer"/> each stage. The caller owns the returned client.</summary>
    /// <param name="settings">The settings to connect with.</param>
    /// <param name="protocolLogger">Gets the conversation as MailKit logs it, or <see langword="null"/>.</param>
    /// <param name="observer">Sees each stage, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The connected, authenticated client.</returns>
    /// <exception cref="SystemMailException">The connection failed; the kind and hint say why, and the observer was told.</exception>
    public async Task<SystemMailSmtpClient> ConnectAsync(
        SmtpSettings settings,
        IProtocolLogger? protocolLogger,
        ISmtpConnectionObserver? observer,
        CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var started = _time.GetTimestamp();
        var authenticationFailure = await PrepareAuthenticationAsync(settings, observer, cancellationToken).ConfigureAwait(false);

        var trace = new SmtpConnectionTrace(protocolLogger);
        var client = new SystemMailSmtpClient(trace, observer);
        try
        {
            Configure(client, settings);
            using (var deadline = new Deadline(_time, settings.Timeout, cancellationToken))
            {
                // One budget from the first DNS query to the end of AUTH.
                var stream = await OpenAsync(settings, trace, observer, deadline.Token).ConfigureAwait(false);
                await StartConversationAsync(client, stream, settings, trace, observer, deadline.Token).ConfigureAwait(false);
                await AuthenticateAsync(client, settings, trace, observer, authenticationFailure, deadline.Token).ConfigureAwait(false);
            }

            trace.Finish();
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                var elapsed = (long)_time.GetElapsedTime(started).TotalMilliseconds;
                Log.ConnectionOpened(_logger, settings.Endpoint, settings.Security, settings.Authentication, settings.Username, elapsed);
            }

            return client;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var failure = await ClassifyAsync(ex, settings, trace, client, cancellationToken).ConfigureAwait(false);
            observer?.OnFailed(failure);
            if (IsRefusal(ex) && client.IsConnected)
            {
                // After a refused command the server still listens: say goodbye, as a mail client does.
                await QuitAsync(client, cancellationToken).ConfigureAwait(false);
            }

            client.Dispose();
            throw failure;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Sends QUIT and waits a few seconds at most for the answer; a server that drops the connection instead changes nothing.</summary>
    public async Task QuitAsync(SmtpClient client, CancellationToken cancellationToken = default)
    {
        try
        {
            using var deadline = new Deadline(_time, TimeSpan.FromSeconds(5), cancellationToken);
            await client.DisconnectAsync(quit: true, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SmtpProtocolException or SmtpCommandException or OperationCanceledException or System.Net.Sockets.SocketException)
        {
            // Whatever happened before stands; the connection is closed either way.
        }
    }

    /// <summary>
    /// Fetches the OAuth2 access token before the connection's timeout starts, with the token endpoint's own timeout,
    /// so its failures are reported as its own. An observed connection goes on to test the server and fails with the
    /// token's failure where it would authenticate; a pooled one does not connect for nothing.
    /// </summary>
    private async Task<SystemMailException?> PrepareAuthenticationAsync(SmtpSettings settings, ISmtpConnectionObserver? observer, CancellationToken cancellationToken)
    {
        if (settings.Authentication != SmtpAuthenticationType.OAuth2 || _oauth2 is null)
        {
            return null;
        }

        if (observer is null)
        {
            await _oauth2.PrepareAsync(settings, cancellationToken).ConfigureAwait(false);
            return null;
        }

        try
        {
            await _oauth2.PrepareAsync(settings, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (SystemMailException ex) when (DestinationPolicy.IsRefusal(ex))
        {
            // A token endpoint the settings may not reach: nothing is tested, as for an SMTP server they may not reach.
            observer.OnFailed(ex);
            throw;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return SmtpFailureClassifier.Classify(ex, SmtpStage.Authenticate, settings);
        }
    }

    /// <summary>
    /// Has MailKit greet, send EHLO and secure the connection over the open stream (disposed when that fails). The
    /// server's first line must come within <see cref="SmtpSettings.GreetingTimeout"/>: a port that waits for the
    /// client to speak first (implicit TLS asked for STARTTLS, or not SMTP at all) is found out long before the whole timeout.
    /// </summary>
    private async Task StartConversationAsync(
        SystemMailSmtpClient client,
        Stream stream,
        SmtpSettings settings,
        SmtpConnectionTrace trace,
        ISmtpConnectionObserver? observer,
        CancellationToken cancellationToken)
    {
        trace.Enter(settings.Security == SmtpSecurity.SslOnConnect ? SmtpStage.Tls : SmtpStage.Greeting);
        observer?.OnConversationStarting();
        using var greeting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var timer = _time.CreateTimer(static state => CancelGreeting((CancellationTokenSource)state!), greeting, settings.GreetingTimeout, System.Threading.Timeout.InfiniteTimeSpan);
        trace.FirstServerLine = () => timer.Change(System.Threading.Timeout.InfiniteTimeSpan, System.Threading.Timeout.InfiniteTimeSpan);
        try
        {
            await client.ConnectAsync(stream, settings.Host, settings.Port, ToSocketOptions(settings.Security), greeting.Token).ConfigureAwait(false);
        }
        catch
        {
            // MailKit disposes the stream itself on most failures; disposing it again is harmless and covers the rest.
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            trace.FirstServerLine = null;
        }

        observer?.OnConversationStarted(client.IsSecure ? client.SslProtocol : null, client.IsSecure ? client.SslCipherSuite : null);
    }

    private static void CancelGreeting(CancellationTokenSource greeting)
    {
        try
        {
            greeting.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The conversation ended as the timer fired.
        }
    }

    private async Task AuthenticateAsync(
        SmtpClient client,
        SmtpSettings settings,
        SmtpConnectionTrace trace,
        ISmtpConnectionObserver? observer,
        SystemMailException? knownFailure,
        CancellationToken cancellationToken)
    {
        if (settings.Authentication == SmtpAuthenticationType.None)
        {
            return;
        }

        trace.Enter(SmtpStage.Authenticate);
        observer?.OnAuthenticating();
        if (knownFailure is not null)
        {
            throw knownFailure;
        }

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

        observer?.OnAuthenticated(trace.Mechanism);
    }

    private static void Configure(SystemMailSmtpClient client, SmtpSettings settings)
    {
        var options = settings.Options;
        client.Timeout = (int)Math.Min(int.MaxValue, settings.Timeout.TotalMilliseconds);
        client.SslProtocols = settings.AllowedTlsVersions;
        client.CheckCertificateRevocation = options.CheckCertificateRevocation;
        if (settings.CertificateValidation is { } validate)
        {
            client.ServerCertificateValidationCallback = validate;
        }

        client.ObserveCertificateValidation();
        if (!string.IsNullOrWhiteSpace(options.LocalDomain))
        {
            client.LocalDomain = options.LocalDomain;
        }
    }

    private static SecureSocketOptions ToSocketOptions(SmtpSecurity security) => security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTls,
    };

    /// <summary>A command the server refused (or a token failure held for authentication): the connection still stands.</summary>
    public static bool IsRefusal(Exception exception) =>
        exception is SmtpCommandException or MailKit.Security.AuthenticationException or ServiceNotAuthenticatedException or SystemMailException;
}
