using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.EntityFrameworkCore.Tests.Infrastructure;

/// <summary>
/// One host instance with the outbox over a test database: its own service provider and dispatcher, the key ring of
/// its "farm" (a folder every instance of a test shares), and SystemMail pointed at a loopback SMTP endpoint.
/// </summary>
internal sealed class OutboxHost : IAsyncDisposable
{
    public const string Sender = "no-reply@systemmail.test";

    private OutboxHost(ServiceProvider services)
    {
        Services = services;
        Outbox = services.GetRequiredService<ISystemMailOutbox>();
        Dispatcher = services.GetServices<IHostedService>().OfType<OutboxDispatcher<TestDbContext>>().Single();
        Store = services.GetRequiredService<OutboxStore<TestDbContext>>();
    }

    public ServiceProvider Services { get; }

    public ISystemMailOutbox Outbox { get; }

    public OutboxDispatcher<TestDbContext> Dispatcher { get; }

    public OutboxStore<TestDbContext> Store { get; }

    /// <summary>Creates an instance sending to <paramref name="port"/> on 127.0.0.1 (a server, or a forwarder in front of one).</summary>
    public static OutboxHost Create(
        TestDatabase database,
        int port,
        string keyRing,
        Action<SystemMailOptions>? configure = null,
        Action<SystemMailOutboxOptions>? outbox = null,
        TimeProvider? time = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMetrics();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(keyRing)).SetApplicationName("SystemMail.Outbox.Tests");
        services.AddDbContextFactory<TestDbContext>(database.Configure);
        services.AddSystemMail(options =>
            {
                options.Provider = "custom";
                options.Host = "127.0.0.1";
                options.Port = port;
                options.Security = SmtpSecurity.StartTls;
                options.ServerCertificateValidationCallback = TestCertificate.Localhost.Pin();
                options.From = $"SystemMail Tests <{Sender}>";
                options.LocalDomain = "client.systemmail.test";
                options.CheckCertificateRevocation = false;
                options.Timeout = TimeSpan.FromSeconds(5);
                options.Product.Name = "Acme Portal";
                options.Retry.MaxRetryAttempts = 0;
                configure?.Invoke(options);
            })
            .AddOutbox<TestDbContext>(options =>
            {
                options.PollInterval = TimeSpan.FromMilliseconds(50);
                options.RetryDelay = TimeSpan.FromMilliseconds(100);
                options.MaxRetryDelay = TimeSpan.FromMilliseconds(400);
                options.LeaseDuration = TimeSpan.FromSeconds(30);
                outbox?.Invoke(options);
            });
        return new OutboxHost(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
    }

    /// <summary>Runs dispatcher rounds until no mail is pending and due, or <paramref name="timeout"/> passes.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var until = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTimeOffset.UtcNow < until)
        {
            var wait = await Dispatcher.RunRoundAsync(cancellationToken);
            var (pending, _) = await Store.PendingAsync(cancellationToken);
            if (pending == 0)
            {
                return;
            }

            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait < TimeSpan.FromMilliseconds(500) ? wait : TimeSpan.FromMilliseconds(500), cancellationToken);
            }
        }

        throw new TimeoutException("The outbox did not drain in time.");
    }

    public async Task<TestDbContext> CreateContextAsync(CancellationToken cancellationToken) =>
        await Services.GetRequiredService<IDbContextFactory<TestDbContext>>().CreateDbContextAsync(cancellationToken);

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}
