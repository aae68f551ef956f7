using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace SystemMail.AspNetCore;

/// <summary>
/// "Test connection" and "Send test email", with the saved settings or with a form's unsaved values. The one place
/// that turns a test into the pop-up's report: when SystemMail's diagnostic report is public, it replaces the
/// classification below (the failing stage is inferred from <see cref="SystemMailErrorKind"/> until then).
/// </summary>
/// <remarks>
/// A test runs in an isolated container on a fresh connection (a pool of one, no retries, no pacing), sharing the
/// host's HTTP clients, Data Protection, mail templates and provider templates, so it reports the first failure at
/// once instead of a pooled connection's or a retry's outcome. Its token store reads the host's tokens but writes them
/// back only when the tested provider information is the saved one, so testing unsaved values never deletes or
/// rotates away the tokens in use, and a refresh made by a test of the saved settings is kept.
/// </remarks>
internal sealed class SystemMailTester
{
    private readonly IServiceProvider _services;
    private readonly ISmtpProviderCatalog _catalog;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public SystemMailTester(IServiceProvider services, ISmtpProviderCatalog catalog, TimeProvider time, ILogger<SystemMailTester>? logger = null)
    {
        _services = services;
        _catalog = catalog;
        _time = time;
        _logger = logger ?? NullLogger<SystemMailTester>.Instance;
    }

    /// <summary>Connects, secures, authenticates and quits without sending.</summary>
    /// <param name="plan">The validated options to test and whether they are the saved ones.</param>
    /// <param name="cancellationToken">A token that cancels the test.</param>
    public Task<TestReportDocument> TestConnectionAsync(TestPlan plan, CancellationToken cancellationToken) =>
        RunAsync("connection", plan, async (services, settings, ct) =>
        {
            var client = await services.GetRequiredService<SmtpConnector>().ConnectAsync(settings, protocolLogger: null, ct).ConfigureAwait(false);
            using (client)
            {
                await client.DisconnectAsync(quit: true, ct).ConfigureAwait(false);
            }

            return null;
        }, cancellationToken);

    /// <summary>Sends SystemMail's test mail to <paramref name="recipient"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="recipient"/> is not a mail address.</exception>
    public Task<TestReportDocument> SendTestMailAsync(TestPlan plan, string recipient, CultureInfo? culture, CancellationToken cancellationToken) =>
        RunAsync("mail", plan, async (services, _, ct) =>
            await services.GetRequiredService<ISystemMailer>().SendTestMailAsync(recipient, culture, ct).ConfigureAwait(false),
            cancellationToken);

    private async Task<TestReportDocument> RunAsync(
        string test,
        TestPlan plan,
        Func<IServiceProvider, SmtpSettings, CancellationToken, Task<SentMail?>> run,
        CancellationToken cancellationToken)
    {
        var options = plan.Options ?? throw new ArgumentException("The plan has no options: it failed validation.", nameof(plan));
        var unsaved = plan.Unsaved ? options : null;
        ServiceProvider? isolated = null;
        try
        {
            SmtpSettings settings;
            try
            {
                settings = SmtpSettings.Create(options, _catalog);
            }
            catch (SystemMailException ex)
            {
                return Failed(test, unsaved, null, ex, 0);
            }

            isolated = CreateIsolated(options, plan.ProviderInformationUnchanged);
            IServiceProvider services = isolated;

            var started = _time.GetTimestamp();
            try
            {
                var sent = await run(services, settings, cancellationToken).ConfigureAwait(false);
                var elapsed = (long)_time.GetElapsedTime(started).TotalMilliseconds;
                Log.TestSucceeded(_logger, test, settings.Endpoint, elapsed);
                return new TestReportDocument
                {
                    Test = test,
                    Succeeded = true,
                    Provider = settings.Template.DisplayName,
                    Endpoint = settings.Endpoint,
                    Security = settings.Security,
                    Authentication = settings.Authentication,
                    UnsavedSettings = unsaved is not null,
                    DurationMilliseconds = elapsed,
                    MessageId = sent?.MessageId,
                    ServerResponse = sent?.ServerResponse,
                };
            }
            catch (SystemMailException ex)
            {
                return Failed(test, unsaved, settings, ex, (long)_time.GetElapsedTime(started).TotalMilliseconds);
            }
        }
        finally
        {
            if (isolated is not null)
            {
                await isolated.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private TestReportDocument Failed(string test, SystemMailOptions? unsaved, SmtpSettings? settings, SystemMailException ex, long elapsed)
    {
        var (stage, stageName) = Stage(ex.Kind);
        Log.TestFailed(_logger, test, settings?.Endpoint ?? "(no endpoint)", stage, ex.Kind, ex.StatusCode, ex.Hint);
        return new TestReportDocument
        {
            Test = test,
            Succeeded = false,
            Provider = settings?.Template.DisplayName ?? unsaved?.Provider ?? string.Empty,
            Endpoint = settings?.Endpoint ?? string.Empty,
            Security = settings?.Security ?? SmtpSecurity.None,
            Authentication = settings?.Authentication ?? unsaved?.Authentication ?? SmtpAuthenticationType.None,
            UnsavedSettings = unsaved is not null,
            DurationMilliseconds = elapsed,
            Failure = new TestFailureDocument
            {
                Stage = stage,
                StageName = stageName,
                Kind = ex.Kind,
                Message = MessageWithoutHint(ex),
                Hint = ex.Hint,
                StatusCode = ex.StatusCode,
                EnhancedStatusCode = ex.EnhancedStatusCode,
                ServerResponse = ex.ServerResponse,
            },
        };
    }

    private static string MessageWithoutHint(SystemMailException ex) =>
        ex.Hint is { Length: > 0 } hint && ex.Message.EndsWith(" " + hint, StringComparison.Ordinal)
            ? ex.Message[..^(hint.Length + 1)]
            : ex.Message;

    private static (string Stage, string Name) Stage(SystemMailErrorKind kind) => kind switch
    {
        SystemMailErrorKind.Configuration => ("settings", "Settings"),
        SystemMailErrorKind.Connection or SystemMailErrorKind.Timeout => ("connect", "Connect"),
        SystemMailErrorKind.Tls => ("tls", "TLS handshake"),
        SystemMailErrorKind.Authentication => ("authenticate", "Authentication"),
        SystemMailErrorKind.SenderRejected => ("mail-from", "MAIL FROM"),
        SystemMailErrorKind.RecipientRejected => ("rcpt-to", "RCPT TO"),
        SystemMailErrorKind.MessageRejected => ("data", "DATA"),
        _ => ("send", "Send"),
    };

    private ServiceProvider CreateIsolated(SystemMailOptions options, bool providerInformationUnchanged)
    {
        var services = new ServiceCollection();
        services.AddSingleton(_services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        // The host's HTTP clients: the OAuth2 token requests keep its proxy, certificates and handlers.
        services.AddSingleton(_services.GetRequiredService<IHttpClientFactory>());
        services.AddSingleton(_services.GetRequiredService<IHttpMessageHandlerFactory>());
        if (_services.GetService<IDataProtectionProvider>() is { } dataProtection)
        {
            services.AddSingleton(dataProtection);
        }

        services.AddSingleton(_time);
        services.AddSingleton<IOAuthTokenStore>(new GuardedTokenStore(_services.GetRequiredService<IOAuthTokenStore>(), providerInformationUnchanged));
        services.AddSingleton(Options.Create(_services.GetRequiredService<IOptions<MailTemplateOptions>>().Value));
        var builder = services.AddSystemMail(o => CopyTo(options, o));
        foreach (var template in _catalog.Templates)
        {
            builder.AddProviderTemplate(template);
        }

        return services.BuildServiceProvider();
    }

    // Every property of SystemMailOptions (keep in step with it); a test needs one connection, the first outcome, no queue.
    private static void CopyTo(SystemMailOptions from, SystemMailOptions to)
    {
        to.From = from.From;
        to.Provider = from.Provider;
        to.Host = from.Host;
        to.Port = from.Port;
        to.Security = from.Security;
        to.MinimumTlsVersion = from.MinimumTlsVersion;
        to.Timeout = from.Timeout;
        to.Authentication = from.Authentication;
        to.Username = from.Username;
        to.Password = from.Password;
        to.OAuth2 = from.OAuth2;
        to.Proxy = from.Proxy;
        to.Product = from.Product;
        to.Retry = new SmtpRetryOptions { MaxRetryAttempts = 0 };
        to.RateLimit = new SmtpRateLimitOptions { Enabled = false };
        to.PoolSize = 1;
        to.ConnectionIdleTimeout = from.ConnectionIdleTimeout;
        to.LocalDomain = from.LocalDomain;
        to.CheckCertificateRevocation = from.CheckCertificateRevocation;
        to.ServerCertificateValidationCallback = from.ServerCertificateValidationCallback;
    }

    /// <summary>The host's token store, read-only unless the tested provider information is the saved one.</summary>
    private sealed class GuardedTokenStore(IOAuthTokenStore inner, bool writable) : IOAuthTokenStore
    {
        public ValueTask<OAuthTokenStoreEntry?> GetAsync(string key, CancellationToken cancellationToken = default) =>
            inner.GetAsync(key, cancellationToken);

        public ValueTask<string?> TrySaveAsync(string key, ReadOnlyMemory<byte> value, string? expectedVersion, CancellationToken cancellationToken = default) =>
            writable ? inner.TrySaveAsync(key, value, expectedVersion, cancellationToken) : ValueTask.FromResult<string?>(Guid.NewGuid().ToString("N"));

        public ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default) =>
            writable ? inner.RemoveAsync(key, cancellationToken) : ValueTask.CompletedTask;
    }
}
