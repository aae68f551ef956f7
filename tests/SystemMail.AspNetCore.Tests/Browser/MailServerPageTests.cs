using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SystemMail.Tests.Infrastructure;
using SystemMail.Tests.Infrastructure.OAuth2;

namespace SystemMail.AspNetCore.Tests.Browser;

/// <summary>The admin sample's "Mail server" page in Chromium: templates, test mail with its pop-up, "Generate access token".</summary>
[Collection(BrowserCollection.Name)]
public sealed class MailServerPageTests(ChromiumFixture chromium)
{
    [Fact]
    public async Task SendTestEmail_CustomAgainstTheLocalInbox_Succeeds()
    {
        await using var site = await SampleSite.StartAsync(chromium.Browser, "test-mail");
        var page = await OpenSettingsPageAsync(site);

        // A template fills and locks the connection fields; Custom unlocks them.
        await page.SelectOptionAsync("#provider", "google");
        Assert.Equal("smtp.gmail.com", await page.InputValueAsync("#host"));
        Assert.Equal("465", await page.InputValueAsync("#port"));
        Assert.True(await page.IsDisabledAsync("#host"));
        await site.ScreenshotAsync("google-template");
        await page.SelectOptionAsync("#provider", "sendgrid");
        Assert.Equal("apikey", await page.InputValueAsync("#username"));

        await FillCustomAsync(page, site.Inbox.Port);
        await site.ScreenshotAsync("custom");
        await SaveAsync(page);

        await page.ClickAsync("#send-test");
        await page.FillAsync("#test-to", "admin@acme.test");
        await page.ClickAsync("#test-send");
        await page.WaitForSelectorAsync("#test-report:not([hidden])");
        await site.ScreenshotAsync("test-mail-sent");
        Assert.StartsWith("Test mail sent", await page.TextContentAsync("#test-outcome"), StringComparison.Ordinal);
        await page.ClickAsync("#test-log summary");
        Assert.Contains("DATA", await page.TextContentAsync("#test-steps"), StringComparison.Ordinal);
        Assert.DoesNotContain("inbox-password", await page.TextContentAsync("#test-transcript"), StringComparison.Ordinal);
        await site.ScreenshotAsync("test-mail-stages");

        var mail = await site.OpenMailAsync("admin@acme.test", "test");
        await site.ScreenshotAsync("test-mail", site.InboxPage);
        Assert.Contains($"127.0.0.1:{site.Inbox.Port}", mail.Message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendTestEmail_WrongPort_PopUpShowsTheFailingStageAndHint()
    {
        await using var site = await SampleSite.StartAsync(chromium.Browser, "wrong-port");
        var page = await OpenSettingsPageAsync(site);
        await FillCustomAsync(page, TcpPorts.GetUnusedPort());

        // Tested before saving, as ThingsBoard allows: the form's values, not the saved ones.
        await page.ClickAsync("#send-test");
        await page.FillAsync("#test-to", "admin@acme.test");
        await page.ClickAsync("#test-send");
        await page.WaitForSelectorAsync("#test-report:not([hidden])");
        await site.ScreenshotAsync("pop-up");

        Assert.Equal("The test mail could not be sent.", await page.TextContentAsync("#test-outcome"));
        Assert.Equal("Connect", await page.TextContentAsync("#test-stage"));
        Assert.False(string.IsNullOrWhiteSpace(await page.TextContentAsync("#test-hint")));
        Assert.Empty(site.Inbox.Messages);
    }

    [Fact]
    public async Task GenerateAccessToken_LocalOAuth2Server_StatusGeneratedUntilTheClientIdIsEdited()
    {
        await using var oauth2 = await OAuth2TestServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using var site = await SampleSite.StartAsync(chromium.Browser, "generate-token", builder =>
            builder.Services.AddHttpClient("SystemMail.OAuth2").ConfigurePrimaryHttpMessageHandler(oauth2.CreateHttpMessageHandler));
        var page = await OpenSettingsPageAsync(site);

        await FillCustomAsync(page, site.Inbox.Port);
        await page.SelectOptionAsync("#authentication", "OAuth2");
        await page.FillAsync("#username", OAuth2TestUser.Default.Username);
        await page.FillAsync("#client-id", OAuth2TestServerOptions.DefaultClientId);
        await page.FillAsync("#client-secret", OAuth2TestServerOptions.DefaultClientSecret);
        await page.FillAsync("#authorization-endpoint", oauth2.AuthorizationEndpoint.AbsoluteUri);
        await page.FillAsync("#token-endpoint", oauth2.TokenEndpoint.AbsoluteUri);
        await page.FillAsync("#scopes", "https://mail.test/smtp offline_access");
        await SaveAsync(page);
        Assert.Equal(new Uri(site.BaseAddress, "/api/admin/mail/oauth2/callback").AbsoluteUri, await page.InputValueAsync("#redirect-uri"));
        Assert.Equal("Not generated", await page.TextContentAsync("#token-status"));
        await site.ScreenshotAsync("oauth2-saved");

        // To the provider and back: the browser follows the redirects of the real flow.
        await page.ClickAsync("#generate-token");
        await page.WaitForURLAsync("**/Admin/Mail?oauth2=*");
        await page.WaitForSelectorAsync("body[data-ready='true']");
        await site.ScreenshotAsync("back-from-the-provider");
        Assert.True(page.Url.EndsWith("?oauth2=generated", StringComparison.Ordinal), $"{page.Url}: {await page.TextContentAsync("#notice")}");
        await Assertions.Expect(page.Locator("#token-status")).ToHaveTextAsync("Generated");
        await site.ScreenshotAsync("generated");
        Assert.Equal(1, oauth2.GetTokenRequestCount(OAuth2GrantTypes.AuthorizationCode));

        // Editing the client ID: the page says so at once, and saving deletes the tokens (with the new client's secret:
        // a saved secret is never sent for another client).
        await page.FillAsync("#client-id", "another-client");
        await Assertions.Expect(page.Locator("#token-status")).ToHaveTextAsync("Not generated");
        await site.ScreenshotAsync("client-id-edited");
        await page.FillAsync("#client-secret", "another-secret");
        await SaveAsync(page);
        await Assertions.Expect(page.Locator("#token-status")).ToHaveTextAsync("Not generated");
        Assert.Contains("tokens were deleted", await page.TextContentAsync("#notice"), StringComparison.Ordinal);
        await site.ScreenshotAsync("saved-with-another-client");
    }

    private static async Task<IPage> OpenSettingsPageAsync(SampleSite site)
    {
        await site.SignInAsync(SampleSite.AdministratorEmail, SampleSite.AdministratorPassword);
        await site.Page.GotoAsync("/Admin/Mail");
        await site.Page.WaitForSelectorAsync("body[data-ready='true']");
        await site.ScreenshotAsync("mail-server");
        return site.Page;
    }

    private static async Task FillCustomAsync(IPage page, int port)
    {
        await page.SelectOptionAsync("#provider", "custom");
        Assert.False(await page.IsDisabledAsync("#host"));
        await page.FillAsync("#from", "Acme IoT <no-reply@acme.test>");
        await page.FillAsync("#host", "127.0.0.1");
        await page.FillAsync("#port", port.ToString(CultureInfo.InvariantCulture));
        await page.SelectOptionAsync("#security", "None");
        await page.FillAsync("#timeout", "5");
        await page.SelectOptionAsync("#authentication", "Basic");
        await page.FillAsync("#username", "inbox");
        await page.FillAsync("#password", "inbox-password");
    }

    private static async Task SaveAsync(IPage page)
    {
        await page.ClickAsync("#save");
        await Assertions.Expect(page.Locator("#save-result")).ToHaveTextAsync("Saved.");
    }
}
