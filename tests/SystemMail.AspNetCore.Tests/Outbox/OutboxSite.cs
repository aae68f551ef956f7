using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SystemMail.AdminSample.Data;
using SystemMail.AspNetCore.Tests.Infrastructure;

namespace SystemMail.AspNetCore.Tests.Outbox;

/// <summary>
/// A site with Identity's API, the admin endpoints and the outbox in a SQLite file, its SystemMail pointed at a
/// loopback port (a test server, or a port where nothing listens), on Kestrel on a free loopback port; in English or
/// Simplified Chinese by the request's <c>Accept-Language</c>.
/// </summary>
internal sealed class OutboxSite : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly DirectoryInfo _data;

    private OutboxSite(WebApplication app, DirectoryInfo data, Uri baseAddress)
    {
        _app = app;
        _data = data;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public IServiceProvider Services => _app.Services;

    public ISystemMailOutbox Outbox => _app.Services.GetRequiredService<ISystemMailOutbox>();

    public static async Task<OutboxSite> StartAsync(int smtpPort, CancellationToken cancellationToken)
    {
        var data = Directory.CreateTempSubdirectory("systemmail-outbox-site-");
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        builder.Services.AddDbContext<SampleDbContext>(o => o.UseSqlite($"Data Source={Path.Combine(data.FullName, "site.db")}"));
        builder.Services.AddAuthorizationBuilder().AddPolicy("MailAdministrators", p => p.RequireRole("admin"));
        builder.Services.AddIdentityApiEndpoints<IdentityUser>(o => o.SignIn.RequireConfirmedEmail = true)
            .AddEntityFrameworkStores<SampleDbContext>();
        // After Identity's, so the administrators of these tests sign in by header.
        builder.Services.AddAuthentication(HeaderAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, HeaderAuthenticationHandler>(HeaderAuthenticationHandler.SchemeName, null);
        builder.Services.AddSystemMail(o =>
            {
                o.From = "Acme IoT <no-reply@acme.test>";
                o.Provider = "custom";
                o.Host = "127.0.0.1";
                o.Port = smtpPort;
                o.Security = SmtpSecurity.StartTls;
                o.ServerCertificateValidationCallback = SystemMail.Tests.Infrastructure.TestCertificate.Localhost.Pin();
                o.CheckCertificateRevocation = false;
                o.Timeout = TimeSpan.FromSeconds(5);
                o.Retry.MaxRetryAttempts = 0;
            })
            .AddIdentityEmailSender<IdentityUser>()
            .AddAdmin()
            .AddOutbox<SampleDbContext>(o =>
            {
                o.PollInterval = TimeSpan.FromMilliseconds(50);
                o.RetryDelay = TimeSpan.FromSeconds(30);
            });

        var app = builder.Build();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<SampleDbContext>().Database.EnsureCreatedAsync(cancellationToken);
        }

        app.UseRequestLocalization(o => o.SetDefaultCulture("en").AddSupportedCultures(AdminHost.Cultures).AddSupportedUICultures(AdminHost.Cultures));
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapIdentityApi<IdentityUser>();
        app.MapSystemMailAdmin(AdminHost.Prefix, "MailAdministrators");
        app.MapSystemMailAdminPage(AdminHost.SettingsPage, "MailAdministrators");
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new OutboxSite(app, data, new Uri(address + "/"));
    }

    public HttpClient CreateClient(string? user = "alice", string roles = "admin") =>
        HeaderAuthenticationHandler.CreateClient(BaseAddress, user, roles);

    /// <summary>Queues an activation mail to a recipient the SMTP server rejects (550), and waits until it is dead-lettered.</summary>
    public async Task<Guid> QueueDeadLetteredAsync(string rejectedRecipient, CancellationToken cancellationToken)
    {
        var id = await Outbox.QueueActivationAsync(rejectedRecipient, new Uri("https://portal.example.test/activate?t=1"), TimeSpan.FromHours(1), cancellationToken: cancellationToken);
        await WaitForAsync(id, m => m.Status == OutboxMailStatus.DeadLettered, cancellationToken);
        return id;
    }

    /// <summary>Waits until the mail has <paramref name="status"/>, for the site's own dispatcher.</summary>
    public async Task<OutboxMail> WaitForAsync(Guid id, Func<OutboxMail, bool> condition, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(15);
        while (true)
        {
            if (await Outbox.GetAsync(id, cancellationToken) is { } mail && condition(mail))
            {
                return mail;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"Mail {id} did not reach the expected state.");
            await Task.Delay(50, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _data.Delete(recursive: true);
    }
}
