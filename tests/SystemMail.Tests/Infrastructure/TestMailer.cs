using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace SystemMail.Tests.Infrastructure;

/// <summary>
/// SystemMail as a host gets it: a real <see cref="ServiceCollection"/> with <c>AddSystemMail</c>, a fake logger
/// that records every log line, and the resolved <see cref="ISystemMailer"/>.
/// </summary>
internal sealed class TestMailer : IAsyncDisposable
{
    public const string Sender = "no-reply@systemmail.test";

    /// <summary>
    /// Every test server listens on loopback, where unsaved settings under test may go only when the host allows it;
    /// the tests of that rule set <see cref="SystemMailOptions.AllowedDestinations"/> themselves.
    /// </summary>
    public static readonly IReadOnlyList<string> LoopbackDestinations = ["127.0.0.1:*", "localhost:*", "[::1]:*"];

    private TestMailer(ServiceProvider services, FakeLoggerProvider logs)
    {
        Services = services;
        Logs = logs;
        Mailer = services.GetRequiredService<ISystemMailer>();
        Pool = services.GetRequiredService<SmtpConnectionPool>();
        Generations = services.GetRequiredService<SmtpSettingsSource>();
    }

    public ServiceProvider Services { get; }

    public ISystemMailer Mailer { get; }

    public SmtpConnectionPool Pool { get; }

    /// <summary>Gets the current settings generation and the ones before it.</summary>
    public SmtpSettingsSource Generations { get; }

    public FakeLoggerProvider Logs { get; }

    /// <summary>Configures SystemMail for <paramref name="server"/>: custom provider, its port, the security its port speaks, its certificate pinned.</summary>
    public static TestMailer For(SmtpTestServer server, Action<SystemMailOptions>? configure = null, Action<IServiceCollection>? addServices = null) =>
        Create(
            options =>
            {
                options.Provider = "custom";
                options.Host = server.Host;
                options.Port = server.Port;
                options.Security = server.Options.ImplicitTls ? SmtpSecurity.SslOnConnect : SmtpSecurity.StartTls;
                options.ServerCertificateValidationCallback = server.TestCertificate.Pin();
                configure?.Invoke(options);
            },
            addServices);

    /// <summary>Configures SystemMail in code, after test defaults (sender, EHLO name, no revocation check, 10 s timeout).</summary>
    public static TestMailer Create(Action<SystemMailOptions> configure, Action<IServiceCollection>? addServices = null)
    {
        var logs = new FakeLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(builder => builder.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        addServices?.Invoke(services);
        services.AddSystemMail(options =>
        {
            ApplyTestDefaults(options);
            configure(options);
        });
        return new TestMailer(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }), logs);
    }

    /// <summary>Binds SystemMail to a configuration, as a host's appsettings would; <paramref name="postConfigure"/> sets what configuration cannot.</summary>
    public static TestMailer FromConfiguration(IConfiguration configuration, Action<SystemMailOptions>? postConfigure = null) =>
        FromConfiguration(configuration, addServices: null, postConfigure);

    /// <summary>Binds SystemMail to a configuration after the test's own services (a fake clock, say), with the test defaults' sender, EHLO name and certificate.</summary>
    public static TestMailer FromConfiguration(IConfiguration configuration, Action<IServiceCollection> addServices) =>
        FromConfiguration(configuration, addServices, o =>
        {
            o.From = $"SystemMail Tests <{Sender}>";
            o.LocalDomain = "client.systemmail.test";
            o.CheckCertificateRevocation = false;
            o.ServerCertificateValidationCallback = TestCertificate.Localhost.Pin();
            o.AllowedDestinations = [.. LoopbackDestinations];
        });

    private static TestMailer FromConfiguration(IConfiguration configuration, Action<IServiceCollection>? addServices, Action<SystemMailOptions>? postConfigure)
    {
        var logs = new FakeLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(builder => builder.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        addServices?.Invoke(services);
        services.AddSystemMail(configuration);
        if (postConfigure is not null)
        {
            services.PostConfigure(postConfigure);
        }

        return new TestMailer(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }), logs);
    }

    public ValueTask DisposeAsync()
    {
        // Disposes the pool (QUIT on idle connections) and then the logger provider.
        return Services.DisposeAsync();
    }

    private static void ApplyTestDefaults(SystemMailOptions options)
    {
        options.From = $"SystemMail Tests <{Sender}>";
        options.LocalDomain = "client.systemmail.test";
        options.CheckCertificateRevocation = false;
        options.Timeout = TimeSpan.FromSeconds(10);
        options.Product.Name = "Acme Portal";
        // Each test sees one attempt's outcome; retrying is tested on its own.
        options.Retry.MaxRetryAttempts = 0;
        options.AllowedDestinations = [.. LoopbackDestinations];
        // Tests mail one recipient many times; the recipient limit is tested on its own.
        options.RecipientLimit.Enabled = false;
    }
}
