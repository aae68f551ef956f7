using System.Collections.Concurrent;
using Microsoft.Playwright;
using SystemMail.AspNetCore.Tests.Infrastructure;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.AspNetCore.Tests.Browser;

/// <summary>
/// A Chromium context signed in to an <see cref="AdminHost"/> as an administrator (the host's header sign-in), on the
/// packaged "Mail server" page. It records every Content-Security-Policy violation the page reports, and every error.
/// </summary>
public sealed class PageVisit : IAsyncDisposable
{
    /// <summary>Set to 1 to refresh the screenshots the package's README shows (src/SystemMail.AspNetCore/screenshots).</summary>
    public const string ReadmeScreenshotsVariable = "SYSTEMMAIL_README_SCREENSHOTS";

    private readonly ConcurrentQueue<string> _violations = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly string _test;
    private int _shots;

    private PageVisit(IBrowserContext context, IPage page, string test)
    {
        Context = context;
        Page = page;
        _test = test;
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                _violations.Enqueue(message.Text);
            }

            // The host's icon is the host's: the minimal hosts of the tests have none.
            if (message.Type == "error" && !message.Location.Contains("/favicon.ico", StringComparison.Ordinal))
            {
                _errors.Enqueue($"{message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => _errors.Enqueue(error);
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>The response to the page's own request, with its headers.</summary>
    public IResponse? Response { get; private set; }

    public static Task<PageVisit> OpenAsync(IBrowser browser, AdminHost host, string test, string locale = "en-US", int width = 1100, int height = 900) =>
        OpenAsync(browser, host.BaseAddress, test, locale, width, height);

    /// <summary>Opens the page of another host that maps it at <see cref="AdminHost.SettingsPage"/> with the same sign-in.</summary>
    public static async Task<PageVisit> OpenAsync(IBrowser browser, Uri baseAddress, string test, string locale = "en-US", int width = 1100, int height = 900)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.AbsoluteUri,
            IgnoreHTTPSErrors = true, // the local OAuth2 server's self-signed certificate
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = locale,
            ExtraHTTPHeaders = new Dictionary<string, string>
            {
                [HeaderAuthenticationHandler.UserHeader] = "alice",
                [HeaderAuthenticationHandler.RolesHeader] = "admin",
            },
        });
        context.SetDefaultTimeout(15_000);

        // Reported by the browser as events and console errors; an init script is not subject to the page's policy.
        await context.AddInitScriptAsync("document.addEventListener('securitypolicyviolation', e => console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));");
        var page = await context.NewPageAsync();
        var visit = new PageVisit(context, page, test);
        visit.Response = await page.GotoAsync(AdminHost.SettingsPage);
        await page.WaitForSelectorAsync("body[data-ready='true']");
        return visit;
    }

    /// <summary>Asserts the page reported no Content-Security-Policy violation: no inline script or style, nothing from elsewhere.</summary>
    public void AssertNoCspViolations() => Assert.True(_violations.IsEmpty, string.Join(Environment.NewLine, _violations));

    /// <summary>
    /// Asserts the page logged no error and threw none: every asset loaded, every script ran, no request failed (the
    /// browser logs a failed request, a 400 answer included, as an error).
    /// </summary>
    public void AssertNoConsoleErrors() => Assert.True(_errors.IsEmpty, string.Join(Environment.NewLine, _errors));

    /// <summary>Keeps a screenshot under artifacts/test-results/screenshots and, when asked, as the README's <paramref name="readmeName"/>.</summary>
    public async Task ScreenshotAsync(string step, string? readmeName = null)
    {
        var directory = Directory.CreateDirectory(Path.Combine(TestServerPaths.RepositoryRoot, "artifacts", "test-results", "screenshots"));
        var path = Path.Combine(directory.FullName, $"page-{_test}-{++_shots:00}-{step}.png");
        await WaitForFramesPaintedAsync();

        // With a pop-up open, the screen as the administrator sees it: a full page would stretch the page under the backdrop.
        var dialogOpen = await Page.Locator("dialog[open]").CountAsync() > 0;
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = !dialogOpen });
        if (readmeName is not null && Environment.GetEnvironmentVariable(ReadmeScreenshotsVariable) == "1")
        {
            File.Copy(path, Path.Combine(TestServerPaths.RepositoryRoot, "src", "SystemMail.AspNetCore", "screenshots", readmeName + ".png"), overwrite: true);
        }
    }

    /// <summary>
    /// Waits until each shown frame (the sandboxed template preview) has content and has been painted. Chromium paints a
    /// frame of another origin only once it has been on screen: below the fold, a full-page shot showed it empty.
    /// </summary>
    private async Task WaitForFramesPaintedAsync()
    {
        foreach (var frame in await Page.Locator("iframe:visible").AllAsync())
        {
            await Assertions.Expect(frame.ContentFrame.Locator("body *:visible").First).ToBeVisibleAsync();
            await frame.ScrollIntoViewIfNeededAsync();
        }

        // Two animation frames: the scrolled-to frames are composited before the shot.
        await Page.EvaluateAsync("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))");
    }

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();
}
