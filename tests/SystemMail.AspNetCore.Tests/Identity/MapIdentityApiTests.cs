using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
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
using SystemMail.Tests.Infrastructure;

namespace SystemMail.AspNetCore.Tests.Identity;

/// <summary><c>MapIdentityApi</c> over real HTTP, its mail through SystemMail to the real SMTP test server.</summary>
public sealed partial class MapIdentityApiTests : IAsyncLifetime
{
    private const string User = "mailer@acme.test";
    private const string Password = "Pw-identity-api-81d2";

    private SmtpTestServer _smtp = null!;
    private WebApplication _app = null!;
    private DirectoryInfo _data = null!;
    private HttpClient _http = null!;

    public async ValueTask InitializeAsync()
    {
        _smtp = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Users = new Dictionary<string, string> { [User] = Password } });
        _data = Directory.CreateTempSubdirectory("systemmail-identityapi-");

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        builder.Services.AddDbContext<SampleDbContext>(o => o.UseSqlite($"Data Source={Path.Combine(_data.FullName, "identity.db")}"));
        builder.Services.AddAuthorization();
        builder.Services.AddIdentityApiEndpoints<IdentityUser>(o => o.SignIn.RequireConfirmedEmail = true)
            .AddEntityFrameworkStores<SampleDbContext>();
        builder.Services.AddSystemMail(o =>
        {
            o.From = "Acme IoT <no-reply@acme.test>";
            o.Host = _smtp.Host;
            o.Port = _smtp.Port;
            o.Authentication = SmtpAuthenticationType.Basic;
            o.Username = User;
            o.Password = Password;
            o.ServerCertificateValidationCallback = _smtp.TestCertificate.Pin();
        }).AddIdentityEmailSender<IdentityUser>();

        _app = builder.Build();
        _app.MapIdentityApi<IdentityUser>();
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<SampleDbContext>().Database.EnsureCreatedAsync(Ct);
        }

        await _app.StartAsync(Ct);
        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false }) { BaseAddress = new Uri(address) };
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _smtp.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _data.Delete(recursive: true);
    }

    [Fact]
    public async Task RegisterConfirmAndResetPassword_ThroughMapIdentityApi_SendSystemMailsThatWork()
    {
        using var registered = await _http.PostAsJsonAsync("/register", new { email = "api.user@acme.test", password = "Api-user-1!" }, Ct);
        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);

        // The activation mail's link, decoded from Identity's HTML encoding, confirms the account.
        var activation = Assert.Single(await _smtp.GetMessagesAsync(Ct)).Message;
        Assert.Contains("Activate", activation.Subject, StringComparison.Ordinal);
        var link = ConfirmLink().Match(activation.TextBody!).Value;
        using var confirmed = await _http.GetAsync(new Uri(link), Ct);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);

        // The reset-code mail carries Identity's whole (long) code, and the code resets the password.
        await _smtp.ClearAsync(Ct);
        using var forgot = await _http.PostAsJsonAsync("/forgotPassword", new { email = "api.user@acme.test" }, Ct);
        Assert.Equal(HttpStatusCode.OK, forgot.StatusCode);
        var resetMail = Assert.Single(await _smtp.GetMessagesAsync(Ct)).Message;
        Assert.Contains("reset code", resetMail.Subject, StringComparison.Ordinal);
        var code = ResetCode().Match(resetMail.TextBody!).Groups["code"].Value;
        Assert.True(code.Length > 64, $"Identity's reset code is {code.Length} characters long");

        using var reset = await _http.PostAsJsonAsync("/resetPassword", new { email = "api.user@acme.test", resetCode = code, newPassword = "Api-user-2!" }, Ct);
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        using var login = await _http.PostAsJsonAsync("/login", new { email = "api.user@acme.test", password = "Api-user-2!" }, Ct);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/confirmEmail\?\S+")]
    private static partial Regex ConfirmLink();

    [GeneratedRegex(@"^\s{4}(?<code>\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex ResetCode();
}
