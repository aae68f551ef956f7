using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SystemMail.AspNetCore.Tests.Hosts;
using SystemMail.AspNetCore.Tests.Infrastructure;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.AspNetCore.Tests.Browser;

/// <summary>
/// The packaged page in an MVC, a Razor Pages and a Blazor host (<see cref="HostFramework"/>), each with its own
/// routes, antiforgery and static files beside the page: the page works the same, and so do the host's own routes.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class HostFrameworksTests(ChromiumFixture chromium)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("mvc")]
    [InlineData("razor-pages")]
    [InlineData("blazor")]
    public async Task Page_InHostFramework_ProvidersSaveAndTestMailWorkAndTheHostsRouteAnswers(string name)
    {
        var framework = HostFramework.Named(name);
        await using var smtp = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Users = new Dictionary<string, string> { ["inbox"] = "inbox-password" }, AllowInsecureAuth = true, OfferStartTls = false }, Ct);
        await using var host = await AdminHost.StartAsync(framework: framework, cancellationToken: Ct);
        await using var visit = await PageVisit.OpenAsync(chromium.Browser, host, "host-" + name);
        var page = visit.Page;

        // The strict policy holds, and the page's own stylesheet and scripts loaded under it.
        var csp = visit.Response!.Headers["content-security-policy"];
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("860px", await page.EvaluateAsync<string>("getComputedStyle(document.querySelector('main')).maxWidth"));
        await page.WaitForSelectorAsync("body[data-templates-ready='true'][data-outbox-ready='true']");

        // A provider fills and locks the connection; Custom unlocks it.
        var template = host.Services.GetRequiredService<ISmtpProviderCatalog>().Templates.First(t => !t.AllowsCustomConnection);
        await page.SelectOptionAsync("#provider", template.Id);
        Assert.Equal(template.Host, await page.InputValueAsync("#host"));
        Assert.Equal(template.Port?.ToString(CultureInfo.InvariantCulture), await page.InputValueAsync("#port"));
        Assert.True(await page.IsDisabledAsync("#host"));
        Assert.True(await page.IsDisabledAsync("#security"));
        await page.SelectOptionAsync("#provider", "custom");
        Assert.True(await page.IsEditableAsync("#host"));

        // Saved, then read back after a reload.
        await page.FillAsync("#host", "127.0.0.1");
        await page.FillAsync("#port", smtp.Port.ToString(CultureInfo.InvariantCulture));
        await page.SelectOptionAsync("#security", "None");
        await page.SelectOptionAsync("#authentication", "Basic");
        await page.FillAsync("#username", "inbox");
        await page.FillAsync("#password", "inbox-password");
        await page.ClickAsync("#save");
        await Assertions.Expect(page.Locator("#save-result")).ToHaveTextAsync("Saved.");
        await page.ReloadAsync();
        await page.WaitForSelectorAsync("body[data-ready='true']");
        Assert.Equal(smtp.Port.ToString(CultureInfo.InvariantCulture), await page.InputValueAsync("#port"));
        Assert.Equal("inbox", await page.InputValueAsync("#username"));
        Assert.True(await page.IsVisibleAsync("#password-saved"));

        // The test mail passes through the saved settings to the real server.
        await page.ClickAsync("#send-test");
        await page.ClickAsync("#test-send");
        await page.WaitForSelectorAsync("#test-report:not([hidden])");
        Assert.Equal("Test mail sent to alice@acme.test.", await page.TextContentAsync("#test-outcome"));
        Assert.Single(await smtp.GetMessagesAsync(Ct));
        await page.ClickAsync("#test-close");
        visit.AssertNoCspViolations();
        visit.AssertNoConsoleErrors();

        // The host's own page still answers, and its form posts with the host's antiforgery token.
        var (path, text) = framework.OwnRoute;
        var response = await page.GotoAsync(path);
        Assert.Equal(200, response!.Status);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(text);
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.GetByText("Posted.")).ToBeVisibleAsync();
    }
}
