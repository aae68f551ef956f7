using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using SystemMail.AspNetCore.Tests.Hosts;
using SystemMail.Tests.Infrastructure;
using SystemMail.Tests.Infrastructure.OAuth2;

namespace SystemMail.AspNetCore.Tests.Infrastructure;

/// <summary>
/// A host application on http://127.0.0.1 (an OS-chosen port) with SystemMail's admin endpoints under
/// <see cref="Prefix"/> and the packaged "Mail server" page at <see cref="SettingsPage"/> (its own endpoints under
/// <c>/admin/mail/api</c>), for the administrators of policy <c>MailAdministrators</c> (role <c>admin</c>), in English
/// or Simplified Chinese by the request's <c>Accept-Language</c>. The whole host is the few lines of a minimal
/// <c>Program.cs</c>: the page needs nothing from a sample. A <see cref="HostFramework"/> makes it an MVC, Razor Pages or
/// Blazor host as well.
/// </summary>
public sealed class AdminHost : IAsyncDisposable
{
    public const string Prefix = "/api/admin/mail";
    public const string SettingsPage = "/admin/mail";

    /// <summary>The request cultures the test hosts accept: one for each language of the page, the hints and the mails.</summary>
    public static readonly string[] Cultures = ["en", "zh-CN", "zh-TW", "ja-JP", "ko-KR", "de-DE", "fr-FR", "es-ES", "pt-BR", "ru-RU"];

    private readonly WebApplication _app;

    private AdminHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a host whose configuration is a valid custom server on 127.0.0.1 without authentication.</summary>
    public static async Task<AdminHost> StartAsync(
        Action<SystemMailOptions>? configure = null,
        Action<ISystemMailBuilder>? systemMail = null,
        OAuth2TestServer? oauth2Server = null,
        CancellationToken cancellationToken = default,
        ILoggerProvider? logs = null,
        bool publicBaseUrl = true,
        bool anyHost = false,
        HostFramework? framework = null)
    {
        // The tests' assembly, where the MVC, Razor Pages and Blazor hosts' controllers, pages and components are found.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ApplicationName = typeof(AdminHost).Assembly.GetName().Name });
        if (anyHost)
        {
            // No host filtering, as behind a proxy that forwards any Host header: what reaches the endpoints is then theirs to handle.
            builder.Configuration["AllowedHosts"] = "*";
        }

        // A port chosen before the start, so the site's public address (PublicBaseUrl) is known when it is configured.
        var port = TcpPorts.GetUnusedPort();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Information);
        }
        builder.Services.AddAuthentication(HeaderAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, HeaderAuthenticationHandler>(HeaderAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder().AddPolicy("MailAdministrators", p => p.RequireRole("admin"));
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        if (oauth2Server is not null)
        {
            builder.Services.AddHttpClient("SystemMail.OAuth2").ConfigurePrimaryHttpMessageHandler(oauth2Server.CreateHttpMessageHandler);
        }

        var mail = builder.Services.AddSystemMail(o =>
        {
            o.From = "Acme IoT <no-reply@acme.test>";
            o.Provider = "custom";
            o.Host = "127.0.0.1";
            o.Port = 25;
            o.Security = SmtpSecurity.None;
            o.Timeout = TimeSpan.FromSeconds(10);

            // The test servers listen on loopback, where settings saved on the page may go only when the host allows it.
            o.AllowedDestinations = ["127.0.0.1:*", "localhost:*", "[::1]:*"];
            configure?.Invoke(o);
        }).AddAdmin(o => o.SettingsPagePath = SettingsPage);

        // The site's public address, as a host configures it: here the address Kestrel listens on.
        if (publicBaseUrl)
        {
            builder.Services.Configure<SystemMailAdminOptions>(o => o.PublicBaseUrl = new Uri($"http://127.0.0.1:{port}/"));
        }

        systemMail?.Invoke(mail);
        framework?.AddServices(builder.Services);

        var app = builder.Build();
        app.UseRequestLocalization(o => o.SetDefaultCulture("en").AddSupportedCultures(Cultures).AddSupportedUICultures(Cultures));
        app.UseAuthentication();
        app.UseAuthorization();
        if (framework is null)
        {
            MapMail(app);
        }
        else
        {
            framework.Configure(app, MapMail);
        }

        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new AdminHost(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/"));
    }

    private static void MapMail(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapSystemMailAdmin(Prefix, "MailAdministrators");
        endpoints.MapSystemMailAdminPage(SettingsPage, "MailAdministrators");
    }

    /// <summary>A client signed in as <paramref name="user"/> with <paramref name="roles"/> (anonymous when <paramref name="user"/> is null); redirects are not followed.</summary>
    public HttpClient CreateClient(string? user = "alice", string roles = "admin") =>
        HeaderAuthenticationHandler.CreateClient(BaseAddress, user, roles);

    public static string Url(string path) => Prefix + "/" + path.TrimStart('/');

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>JSON helpers for the admin endpoints' responses.</summary>
public static class AdminJson
{
    public static async Task<JsonObject> ReadObjectAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode || (int)response.StatusCode == 400, $"{(int)response.StatusCode} {response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public static Task<HttpResponseMessage> PutSettingsAsync(this HttpClient client, object settings) =>
        client.PutAsJsonAsync(AdminHost.Url("settings"), settings, JsonSerializerOptions.Web);

    public static async Task<JsonObject> SaveAsync(this HttpClient client, object settings)
    {
        using var response = await client.PutSettingsAsync(settings);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Save answered {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    public static async Task<JsonObject> GetObjectAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(AdminHost.Url(path));
        return await response.ReadObjectAsync();
    }
}
