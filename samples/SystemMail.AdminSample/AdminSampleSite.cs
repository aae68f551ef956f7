using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using SystemMail.AdminSample.Data;

namespace SystemMail.AdminSample;

/// <summary>
/// The sample site: Identity on SQLite, SystemMail with its packaged "Mail server" page, an SMTP inbox inside the
/// process, and the pages a site writes itself (sign up, activation, password reset, sign in and out).
/// </summary>
public static class AdminSampleSite
{
    public const string AdministratorRole = "Administrator";
    public const string MailAdministratorsPolicy = "MailAdministrators";
    public const string SettingsPage = "/Admin/Mail";

    /// <summary>Builds the site; <paramref name="customize"/> lets tests change services or settings before it is built.</summary>
    public static async Task<WebApplication> BuildAsync(string[] args, Action<WebApplicationBuilder>? customize = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = typeof(AdminSampleSite).Assembly.GetName().Name,
        });

        var dataDirectory = builder.Configuration["Sample:DataDirectory"] is { Length: > 0 } configured
            ? configured
            : Path.Combine(AppContext.BaseDirectory, "App_Data");
        Directory.CreateDirectory(dataDirectory);

        // The mail provider of this sample: an SMTP server inside the process, on a fixed loopback port (Sample:Inbox:Port,
        // 0 for a free one), so settings saved on the page still point at it after a restart.
        var inbox = LocalInbox.Start(
            builder.Configuration.GetValue("Sample:Inbox:Port", LocalInbox.DefaultPort),
            builder.Configuration["Sample:Inbox:Username"]!,
            builder.Configuration["Sample:Inbox:Password"]!);
        builder.Services.AddSingleton(inbox);
        builder.Configuration["SystemMail:Port"] = inbox.Port.ToString(CultureInfo.InvariantCulture);

        // Settings saved on the page may not point at this machine unless allowed: the inbox's port is.
        builder.Configuration["SystemMail:AllowedDestinations:0"] = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{inbox.Port}");

        builder.Services.AddDbContextFactory<SampleDbContext>(o => o.UseSqlite($"Data Source={Path.Combine(dataDirectory, "adminsample.db")}"));

        // The key ring that encrypts the saved settings and tokens is kept apart from the database they are saved in:
        // a copy of adminsample.db alone reveals nothing. A real site keeps it out of the database server (a folder,
        // Azure Key Vault, a Kubernetes secret) and protects the keys themselves (ProtectKeysWithCertificate).
        builder.Services.AddDataProtection()
            .SetApplicationName("SystemMail.AdminSample")
            .PersistKeysToFileSystem(Directory.CreateDirectory(Path.Combine(dataDirectory, "keys")));

        builder.Services.AddIdentity<IdentityUser, IdentityRole>(o =>
            {
                o.SignIn.RequireConfirmedAccount = true;
                o.User.RequireUniqueEmail = true;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredLength = 8;
            })
            .AddEntityFrameworkStores<SampleDbContext>()
            .AddDefaultTokenProviders();
        builder.Services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/Account/Login";
            o.AccessDeniedPath = "/Account/AccessDenied";
        });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(MailAdministratorsPolicy, p => p.RequireRole(AdministratorRole));

        // SystemMail: settings from appsettings.json, overridden by what the administrator saves on the page;
        // both the settings and the OAuth2 tokens in the sample's database (SystemMail.EntityFrameworkCore), protected
        // with Data Protection. Identity's mails go through the outbox in the same database: sign-up and forgot-password
        // answer at once, whether the mail server is up or not, and the mails go out (and are retried) in the background.
        builder.Services.AddSystemMail(builder.Configuration)
            .AddIdentityEmailSender<IdentityUser>()
            .AddAdmin(o =>
            {
                o.Page.Title = "Mail server · Acme IoT";
                // The OAuth2 redirect URI is the site's public address plus the callback path, never made from a request's
                // Host header. The sample's is Sample:PublicBaseUrl, else the address it listens on (Urls).
                o.PublicBaseUrl = PublicBaseUrl(builder.Configuration);
            })
            .PersistToDbContext<SampleDbContext>()
            .AddOutbox<SampleDbContext>(o => o.PollInterval = TimeSpan.FromMilliseconds(500));

        builder.Services.AddRazorPages(o =>
        {
            // The inbox shows every mail the site sent, reset links included: administrators only.
            o.Conventions.AuthorizePage("/Inbox", MailAdministratorsPolicy);
        });

        customize?.Invoke(builder);

        var app = builder.Build();
        app.Lifetime.ApplicationStopped.Register(() => _ = inbox.DisposeAsync().AsTask());
        await PrepareDatabaseAsync(app);

        // The mails and the settings page follow the browser's language, in the ten languages they are written in.
        string[] cultures = ["en", "zh-Hans", "zh-CN", "zh-Hant", "zh-TW", "ja", "ko", "de", "fr", "es", "pt-BR", "ru"];
        app.UseRequestLocalization(o => o
            .SetDefaultCulture("en")
            .AddSupportedCultures(cultures)
            .AddSupportedUICultures(cultures));
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapRazorPages();

        // The whole "Mail server" page, from the package: the page, its script and stylesheet, its JSON endpoints.
        app.MapSystemMailAdminPage(SettingsPage, MailAdministratorsPolicy);
        return app;
    }

    /// <summary>Sample:PublicBaseUrl, else the first address of Urls when it names a port; <see langword="null"/> otherwise.</summary>
    private static Uri? PublicBaseUrl(IConfiguration configuration)
    {
        var configured = configuration["Sample:PublicBaseUrl"] is { Length: > 0 } publicBaseUrl
            ? publicBaseUrl
            : configuration["Urls"]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return Uri.TryCreate(configured, UriKind.Absolute, out var uri) && uri.Port > 0 ? uri : null;
    }

    /// <summary>Creates the database and the administrator account (confirmed, role Administrator) on first start.</summary>
    private static async Task PrepareDatabaseAsync(WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        await services.GetRequiredService<SampleDbContext>().Database.EnsureCreatedAsync();

        var roles = services.GetRequiredService<RoleManager<IdentityRole>>();
        if (!await roles.RoleExistsAsync(AdministratorRole))
        {
            Check(await roles.CreateAsync(new IdentityRole(AdministratorRole)));
        }

        var users = services.GetRequiredService<UserManager<IdentityUser>>();
        var email = app.Configuration["Sample:Administrator:Email"]!;
        if (await users.FindByEmailAsync(email) is null)
        {
            var administrator = new IdentityUser { UserName = email, Email = email, EmailConfirmed = true };
            Check(await users.CreateAsync(administrator, app.Configuration["Sample:Administrator:Password"]!));
            Check(await users.AddToRoleAsync(administrator, AdministratorRole));
        }

        static void Check(IdentityResult result)
        {
            if (!result.Succeeded)
            {
                throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
            }
        }
    }
}
