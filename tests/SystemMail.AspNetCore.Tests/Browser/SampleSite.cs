using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SystemMail.AdminSample;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.AspNetCore.Tests.Browser;

/// <summary>The admin sample site on http://127.0.0.1 (an OS-chosen port) with a fresh database, and a browser context on it.</summary>
public sealed class SampleSite : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly DirectoryInfo _data;
    private readonly string _test;
    private int _shots;

    private SampleSite(WebApplication app, DirectoryInfo data, Uri baseAddress, IBrowserContext context, IPage page, string test)
    {
        _app = app;
        _data = data;
        BaseAddress = baseAddress;
        Context = context;
        Page = page;
        _test = test;
    }

    public const string AdministratorEmail = "sysadmin@acme.test";
    public const string AdministratorPassword = "Sysadmin-1!";

    public Uri BaseAddress { get; }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public IServiceProvider Services => _app.Services;

    public LocalInbox Inbox => _app.Services.GetRequiredService<LocalInbox>();

    public static async Task<SampleSite> StartAsync(IBrowser browser, string test, Action<WebApplicationBuilder>? customize = null, string locale = "en-US")
    {
        var data = Directory.CreateTempSubdirectory("systemmail-adminsample-");
        var app = await AdminSampleSite.BuildAsync(
            ["--urls", $"http://127.0.0.1:{TcpPorts.GetUnusedPort()}", "--Sample:DataDirectory", data.FullName, "--Logging:LogLevel:Default", "Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime", "Warning"],
            customize);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = address.AbsoluteUri,
            IgnoreHTTPSErrors = true, // the local OAuth2 server's self-signed certificate
            ViewportSize = new ViewportSize { Width = 1100, Height = 900 },
            Locale = locale,
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        return new SampleSite(app, data, address, context, page, test);
    }

    /// <summary>Keeps a screenshot of the page under artifacts/test-results/screenshots.</summary>
    public async Task ScreenshotAsync(string step)
    {
        var directory = Directory.CreateDirectory(Path.Combine(TestServerPaths.RepositoryRoot, "artifacts", "test-results", "screenshots"));
        await Page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(directory.FullName, $"{_test}-{++_shots:00}-{step}.png"),
            FullPage = true,
        });
    }

    public async Task SignInAsync(string email, string password)
    {
        await Page.GotoAsync("/Account/Login");
        await Page.FillAsync("#email", email);
        await Page.FillAsync("#password", password);
        await Page.ClickAsync("#sign-in");
        await Page.WaitForSelectorAsync("#sign-out");
    }

    /// <summary>Waits for a mail to <paramref name="to"/> whose subject contains <paramref name="subject"/>, and opens it in the inbox page.</summary>
    public async Task<InboxMessage> OpenMailAsync(string to, string subject)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        InboxMessage? mail;
        while ((mail = Inbox.Messages.FirstOrDefault(m => m.To.Contains(to, StringComparison.OrdinalIgnoreCase) && m.Subject.Contains(subject, StringComparison.OrdinalIgnoreCase))) is null)
        {
            Assert.True(DateTime.UtcNow < deadline, $"No mail to {to} about '{subject}' arrived; the inbox has: {string.Join("; ", Inbox.Messages.Select(m => $"{m.To}: {m.Subject}"))}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        await Page.GotoAsync("/Inbox");
        await Page.ClickAsync($"a[href='/Inbox/{mail.Id}']");
        await Page.WaitForSelectorAsync("#mail-body");
        return mail;
    }

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            _data.Delete(recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment; the temp folder is cleaned by the system.
        }
    }
}
