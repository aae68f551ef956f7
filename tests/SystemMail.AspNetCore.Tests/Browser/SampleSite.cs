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
    private readonly IBrowser _browser;
    private readonly string _test;
    private IBrowserContext? _inboxContext;
    private IPage? _inbox;
    private int _shots;

    private SampleSite(WebApplication app, DirectoryInfo data, IBrowser browser, Uri baseAddress, IBrowserContext context, IPage page, string test)
    {
        _app = app;
        _data = data;
        _browser = browser;
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
        var app = await StartSiteAsync(data, [], customize);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
        var context = await NewContextAsync(browser, address, locale);
        var page = await context.NewPageAsync();
        return new SampleSite(app, data, browser, address, context, page, test);
    }

    /// <summary>
    /// Starts the sample on a free loopback port with its Product.Url on that port, as the sample's own settings have
    /// it for port 5080 (links of the mails must point there).
    /// </summary>
    public static async Task<WebApplication> StartSiteAsync(DirectoryInfo data, string[] arguments, Action<WebApplicationBuilder>? customize = null)
    {
        // An unused port can be taken by a test running beside this one before the site binds it: then try new ports.
        for (var attempt = 1; ; attempt++)
        {
            var url = $"http://127.0.0.1:{TcpPorts.GetUnusedPort()}/";
            var app = await AdminSampleSite.BuildAsync(
                [
                    "--urls", url, "--SystemMail:Product:Url", url, "--Sample:DataDirectory", data.FullName,
                    "--Sample:Inbox:Port", TcpPorts.GetUnusedPort().ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "--Logging:LogLevel:Default", "Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime", "Warning", .. arguments,
                    // The test servers (and the unused ports the tests name) are on loopback, beside the sample's own inbox.
                    "--SystemMail:AllowedDestinations:1", "127.0.0.1:*", "--SystemMail:AllowedDestinations:2", "localhost:*",
                ],
                customize);
            try
            {
                await app.StartAsync(TestContext.Current.CancellationToken);
                return app;
            }
            catch (Exception ex) when (attempt < 3 && IsAddressInUse(ex))
            {
                await app.DisposeAsync();
            }
        }
    }

    private static bool IsAddressInUse(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.AddressAlreadyInUse }
                || ex.GetType().Name == "AddressInUseException")
            {
                return true;
            }
        }

        return false;
    }

    private static async Task<IBrowserContext> NewContextAsync(IBrowser browser, Uri address, string locale)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = address.AbsoluteUri,
            IgnoreHTTPSErrors = true, // the local OAuth2 server's self-signed certificate
            ViewportSize = new ViewportSize { Width = 1100, Height = 900 },
            Locale = locale,
        });
        context.SetDefaultTimeout(15_000);
        return context;
    }

    /// <summary>Gets the inbox page, in a browser context of its own signed in as the administrator: the inbox is theirs only.</summary>
    public IPage InboxPage => _inbox ?? throw new InvalidOperationException("No mail was opened yet.");

    /// <summary>Keeps a screenshot of the page (the user's, unless another is given) under artifacts/test-results/screenshots.</summary>
    public async Task ScreenshotAsync(string step, IPage? page = null)
    {
        var directory = Directory.CreateDirectory(Path.Combine(TestServerPaths.RepositoryRoot, "artifacts", "test-results", "screenshots"));
        await (page ?? Page).ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(directory.FullName, $"{_test}-{++_shots:00}-{step}.png"),
            FullPage = true,
        });
    }

    public Task SignInAsync(string email, string password) => SignInAsync(Page, email, password);

    private static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/Account/Login");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#sign-in");
        await page.WaitForSelectorAsync("#sign-out");
    }

    /// <summary>The body of the mail open in <see cref="InboxPage"/>: its own document, in a sandboxed frame.</summary>
    public IFrameLocator MailBody => InboxPage.FrameLocator("#mail-body");

    /// <summary>Opens the first link at <paramref name="selector"/> of the mail open in <see cref="InboxPage"/> (inside its frame) in the user's page, as the user would click it.</summary>
    public async Task FollowMailLinkAsync(string selector)
    {
        var href = await MailBody.Locator(selector).First.GetAttributeAsync("href") ?? throw new InvalidOperationException($"The mail has no link at {selector}.");
        await Page.GotoAsync(href);
    }

    /// <summary>
    /// Waits for a mail to <paramref name="to"/> whose subject contains <paramref name="subject"/>, and opens it in the
    /// administrator's inbox page (<see cref="InboxPage"/>).
    /// </summary>
    public async Task<InboxMessage> OpenMailAsync(string to, string subject)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        InboxMessage? mail;
        while ((mail = Inbox.Messages.FirstOrDefault(m => m.To.Contains(to, StringComparison.OrdinalIgnoreCase) && m.Subject.Contains(subject, StringComparison.OrdinalIgnoreCase))) is null)
        {
            Assert.True(DateTime.UtcNow < deadline, $"No mail to {to} about '{subject}' arrived; the inbox has: {string.Join("; ", Inbox.Messages.Select(m => $"{m.To}: {m.Subject}"))}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        if (_inbox is null)
        {
            _inboxContext = await NewContextAsync(_browser, BaseAddress, "en-US");
            _inbox = await _inboxContext.NewPageAsync();
            await SignInAsync(_inbox, AdministratorEmail, AdministratorPassword);
        }

        await _inbox.GotoAsync("/Inbox");
        await _inbox.ClickAsync($"a[href='/Inbox/{mail.Id}']");
        await _inbox.WaitForSelectorAsync("#mail-body");
        return mail;
    }

    public async ValueTask DisposeAsync()
    {
        if (_inboxContext is not null)
        {
            await _inboxContext.DisposeAsync();
        }

        await Context.DisposeAsync();
        await StopSiteAsync(_app, _data);
    }

    /// <summary>Stops a site <see cref="StartSiteAsync"/> started and deletes its data folder.</summary>
    public static async Task StopSiteAsync(WebApplication app, DirectoryInfo data)
    {
        await app.StopAsync();
        await app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            data.Delete(recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment; the temp folder is cleaned by the system.
        }
    }
}
