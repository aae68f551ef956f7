using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SystemMail.AspNetCore.Tests.Infrastructure;
using SystemMail.Tests.Infrastructure;
using SystemMail.Tests.Infrastructure.OAuth2;

namespace SystemMail.AspNetCore.Tests.Browser;

/// <summary>The packaged "Mail server" page in Chromium, in a minimal host (<see cref="AdminHost"/>): no sample involved.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PackagedPageTests(ChromiumFixture chromium)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ProviderTemplates_EachProvider_FillAndLockTheConnectionUntilCustom()
    {
        await using var host = await AdminHost.StartAsync(cancellationToken: Ct);
        await using var visit = await PageVisit.OpenAsync(chromium.Browser, host, "providers");
        var page = visit.Page;

        var csp = visit.Response!.Headers["content-security-policy"];
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("style-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.True(await page.IsDisabledAsync("#save"), "Save is enabled before anything changed.");

        foreach (var template in host.Services.GetRequiredService<ISmtpProviderCatalog>().Templates)
        {
            await page.SelectOptionAsync("#provider", template.Id);
            Assert.Equal(!template.AllowsCustomConnection, await page.IsDisabledAsync("#host"));
            Assert.Equal(!template.AllowsCustomConnection, await page.IsDisabledAsync("#port"));
            Assert.Equal(!template.AllowsCustomConnection, await page.IsDisabledAsync("#security"));
            if (!template.AllowsCustomConnection)
            {
                Assert.Equal(template.Host, await page.InputValueAsync("#host"));
                Assert.Equal(template.Port?.ToString(CultureInfo.InvariantCulture), await page.InputValueAsync("#port"));
                Assert.Equal(template.Security?.ToString(), await page.InputValueAsync("#security"));
                Assert.Contains("Custom", await page.TextContentAsync("#provider-hint"), StringComparison.Ordinal);
            }

            var options = await page.Locator("#authentication option").EvaluateAllAsync<string[]>("o => o.map(x => x.value)");
            Assert.Equal(template.SupportedAuthentication.Select(a => a.ToString()), options);
        }

        // SendGrid's fixed user name and implicit TLS do not follow the administrator to Custom.
        await page.SelectOptionAsync("#provider", "sendgrid");
        Assert.Equal("apikey", await page.InputValueAsync("#username"));
        Assert.False(await page.IsEditableAsync("#username"));
        await page.SelectOptionAsync("#provider", "custom");
        Assert.Equal(string.Empty, await page.InputValueAsync("#username"));
        Assert.Equal(string.Empty, await page.InputValueAsync("#host"));
        Assert.Equal("StartTls", await page.InputValueAsync("#security"));
        Assert.True(await page.IsEditableAsync("#username"));

        // Save is enabled by a change; errors sit at their fields and are announced.
        Assert.False(await page.IsDisabledAsync("#save"));
        await page.FillAsync("#port", "70000");
        await page.ClickAsync("#save");
        await Assertions.Expect(page.Locator("#port-error")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#host-error")).ToBeVisibleAsync();
        Assert.Equal("true", await page.GetAttributeAsync("#port", "aria-invalid"));
        Assert.Contains("port-error", await page.GetAttributeAsync("#port", "aria-describedby"), StringComparison.Ordinal);
        Assert.Equal("alert", await page.GetAttributeAsync("#errors-summary", "role"));
        Assert.Contains("SMTP port", await page.TextContentAsync("#errors-summary"), StringComparison.Ordinal);
        await visit.ScreenshotAsync("errors-at-fields");

        // Leaving with unsaved changes asks first.
        var asked = new TaskCompletionSource<string>();
        page.Dialog += (_, dialog) => { asked.TrySetResult(dialog.Type); _ = dialog.AcceptAsync(); };
        await page.CloseAsync(new PageCloseOptions { RunBeforeUnload = true });
        Assert.Equal("beforeunload", await asked.Task.WaitAsync(TimeSpan.FromSeconds(15), Ct));
        visit.AssertNoCspViolations();
    }

    [Fact]
    public async Task SendTestEmail_SilentServerThenInbox_ShowsProgressFailingStageThenSuccess()
    {
        await using var smtp = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Users = new Dictionary<string, string> { ["inbox"] = "inbox-password" }, AllowInsecureAuth = true, OfferStartTls = false }, Ct);
        await using var silent = SilentTcpServer.Start();
        await using var host = await AdminHost.StartAsync(cancellationToken: Ct);
        await using var visit = await PageVisit.OpenAsync(chromium.Browser, host, "test-mail");
        var page = visit.Page;

        // Settings that cannot work stop at Settings, with a message, and never show "Server: (, , )".
        await page.SelectOptionAsync("#provider", "custom");
        await page.FillAsync("#host", string.Empty);
        await page.FillAsync("#port", string.Empty);
        await SendTestAsync(page);
        Assert.Equal("Settings", await page.TextContentAsync("#test-stage"));
        Assert.False(string.IsNullOrWhiteSpace(await page.TextContentAsync("#test-message")));
        Assert.DoesNotContain("(,", await page.TextContentAsync("#test-details"), StringComparison.Ordinal);
        await page.ClickAsync("#test-close");

        // A server that never answers: the pop-up shows progress while it waits, then where it failed.
        await FillBasicAsync(page, silent.Port);
        await page.FillAsync("#timeout", "2");
        await page.ClickAsync("#send-test");
        await page.ClickAsync("#test-send");
        await Assertions.Expect(page.Locator("#test-progress-text")).ToContainTextAsync("Testing");
        await visit.ScreenshotAsync("progress");
        await page.WaitForSelectorAsync("#test-report:not([hidden])");
        Assert.Equal("The test mail could not be sent.", await page.TextContentAsync("#test-outcome"));
        Assert.Equal("Server greeting", await page.TextContentAsync("#test-stage"));
        Assert.False(string.IsNullOrWhiteSpace(await page.TextContentAsync("#test-hint")));
        await visit.ScreenshotAsync("failed", "test-email-failed");
        await page.ClickAsync("#test-close");

        // The real server: the mail arrives, and the transcript has no password.
        await page.FillAsync("#port", smtp.Port.ToString(CultureInfo.InvariantCulture));
        await SendTestAsync(page);
        Assert.Equal("Test mail sent to alice@acme.test.", await page.TextContentAsync("#test-outcome"));
        await page.ClickAsync("#test-log summary");
        Assert.Contains("DATA", await page.TextContentAsync("#test-steps"), StringComparison.Ordinal);
        Assert.DoesNotContain("inbox-password", await page.TextContentAsync("#test-transcript"), StringComparison.Ordinal);
        Assert.Equal($"127.0.0.1:{smtp.Port} (custom, None, Password)", await page.TextContentAsync("#test-server"));
        Assert.Single(await smtp.GetMessagesAsync(Ct));
        await visit.ScreenshotAsync("sent");
        visit.AssertNoCspViolations();
    }

    [Fact]
    public async Task GenerateAccessToken_UnsavedForm_SavesFirstThenStatusGeneratedAndTestMailPasses()
    {
        await using var oauth2 = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        await using var smtp = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { AuthMethods = ["XOAUTH2"], XOAuth2Issuer = oauth2, AllowInsecureAuth = true, OfferStartTls = false }, Ct);
        await using var host = await AdminHost.StartAsync(oauth2Server: oauth2, cancellationToken: Ct);
        await using var visit = await PageVisit.OpenAsync(chromium.Browser, host, "oauth2");
        var page = visit.Page;

        await FillBasicAsync(page, smtp.Port);
        await page.SelectOptionAsync("#authentication", "OAuth2");
        await page.FillAsync("#username", OAuth2TestUser.Default.Username);
        await page.FillAsync("#client-id", OAuth2TestServerOptions.DefaultClientId);
        await page.FillAsync("#client-secret", OAuth2TestServerOptions.DefaultClientSecret);
        await page.FillAsync("#authorization-endpoint", oauth2.AuthorizationEndpoint.AbsoluteUri);
        await page.FillAsync("#token-endpoint", oauth2.TokenEndpoint.AbsoluteUri);
        await page.FillAsync("#scopes", "https://mail.test/smtp offline_access");
        Assert.Equal(new Uri(host.BaseAddress, "/admin/mail/api/oauth2/callback").AbsoluteUri, await page.InputValueAsync("#redirect-uri"));
        Assert.Equal("Not generated", await page.TextContentAsync("#token-status"));
        await page.ClickAsync("#copy-redirect-uri");
        await Assertions.Expect(page.Locator("#copy-result")).Not.ToBeEmptyAsync();
        await visit.ScreenshotAsync("oauth2-form", "desktop");

        // Unsaved: the page asks to save first, keeps the edits, then goes to the provider and back.
        await page.ClickAsync("#generate-token");
        await Assertions.Expect(page.Locator("#save-first-dialog")).ToBeVisibleAsync();
        Assert.Equal(OAuth2TestServerOptions.DefaultClientId, await page.InputValueAsync("#client-id"));
        await page.ClickAsync("#save-first-confirm");

        // Four hops (the provider, its consent, the callback's code exchange, the page): slower when the machine is busy.
        await page.WaitForURLAsync("**/admin/mail?oauth2=*", new PageWaitForURLOptions { Timeout = 60_000 });
        await page.WaitForSelectorAsync("body[data-ready='true']");
        Assert.Contains("generated", await page.TextContentAsync("#notice"), StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#token-status")).ToHaveTextAsync("Generated");
        Assert.Equal(OAuth2TestServerOptions.DefaultClientId, await page.InputValueAsync("#client-id"));
        Assert.Equal(1, oauth2.GetTokenRequestCount(OAuth2GrantTypes.AuthorizationCode));

        // The saved OAuth2 settings send mail with the token.
        await SendTestAsync(page);
        Assert.StartsWith("Test mail sent", await page.TextContentAsync("#test-outcome"), StringComparison.Ordinal);
        await page.ClickAsync("#test-close");

        // Another client: the status says so at once, and the saved secret must be typed again.
        await page.FillAsync("#client-id", "another-client");
        await Assertions.Expect(page.Locator("#token-status")).ToHaveTextAsync("Not generated");
        await Assertions.Expect(page.Locator("#client-secret-saved")).ToContainTextAsync("type this secret again");
        visit.AssertNoCspViolations();
    }

    [Fact]
    public async Task Page_ChineseBrowser_LabelsLanguageAndFieldErrorsAreChinese()
    {
        await using var host = await AdminHost.StartAsync(cancellationToken: Ct);
        await using var visit = await PageVisit.OpenAsync(chromium.Browser, host, "zh-CN", locale: "zh-CN");
        var page = visit.Page;

        Assert.Equal("zh-CN", await page.GetAttributeAsync("html", "lang"));
        Assert.Equal("邮件服务器", await page.TitleAsync());
        Assert.Equal("SMTP 服务器", await page.TextContentAsync("label[for=host]"));
        Assert.Equal("保存", (await page.TextContentAsync("#save"))!.Trim());
        await page.SelectOptionAsync("#provider", "google");
        Assert.Contains("自定义", await page.TextContentAsync("#provider-hint"), StringComparison.Ordinal);
        await visit.ScreenshotAsync("page", "zh-CN");

        // The server's validation messages follow the same culture, at their fields.
        await page.SelectOptionAsync("#provider", "custom");
        await page.FillAsync("#port", "70000");
        await page.ClickAsync("#save");
        await Assertions.Expect(page.Locator("#port-error")).ToHaveTextAsync("必须介于 1 和 65535 之间。");
        await Assertions.Expect(page.Locator("#host-error")).ToContainTextAsync("必填项");
        visit.AssertNoCspViolations();
    }

    [Fact]
    public async Task Page_390PixelsWide_NoHorizontalScrollAndReadableSelects()
    {
        await using var host = await AdminHost.StartAsync(cancellationToken: Ct);
        await using var visit = await PageVisit.OpenAsync(chromium.Browser, host, "narrow", width: 390, height: 844);
        var page = visit.Page;

        await page.SelectOptionAsync("#provider", "custom");
        await page.SelectOptionAsync("#authentication", "OAuth2");
        await page.SelectOptionAsync("#proxy-type", "Socks5");
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= document.documentElement.clientWidth"),
            await page.EvaluateAsync<string>("`${document.documentElement.scrollWidth} > ${document.documentElement.clientWidth}`"));

        // Each select is wide enough for its longest option ("TLS 1.2", not "TLS 1.").
        foreach (var id in new[] { "provider", "security", "tls-version", "authentication", "proxy-type" })
        {
            var fits = await page.EvaluateAsync<bool>(
                """
                id => {
                    const select = document.getElementById(id);
                    const probe = document.createElement('span');
                    probe.style.font = getComputedStyle(select).font;
                    probe.style.position = 'absolute';
                    document.body.append(probe);
                    const widest = Math.max(...[...select.options].map(o => { probe.textContent = o.text; return probe.getBoundingClientRect().width; }));
                    probe.remove();
                    return widest + 24 <= select.clientWidth;
                }
                """, id);
            Assert.True(fits, $"#{id} is too narrow for its options at 390 px.");
        }

        // Every visible control has a label, and the keyboard's focus is drawn.
        var unlabelled = await page.EvaluateAsync<string[]>(
            "[...document.querySelectorAll('input, select, button')].filter(c => c.offsetParent !== null && c.labels?.length === 0 && !c.textContent.trim()).map(c => c.id)");
        Assert.Empty(unlabelled);
        await page.FocusAsync("body");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("solid", await page.EvaluateAsync<string>("getComputedStyle(document.activeElement).outlineStyle"));

        await visit.ScreenshotAsync("page", "390px");
        visit.AssertNoCspViolations();
    }

    private static async Task FillBasicAsync(IPage page, int port)
    {
        await page.SelectOptionAsync("#provider", "custom");
        await page.FillAsync("#from", "Acme IoT <no-reply@acme.test>");
        await page.FillAsync("#host", "127.0.0.1");
        await page.FillAsync("#port", port.ToString(CultureInfo.InvariantCulture));
        await page.SelectOptionAsync("#security", "None");
        await page.FillAsync("#timeout", "5");
        await page.SelectOptionAsync("#authentication", "Basic");
        await page.FillAsync("#username", "inbox");
        await page.FillAsync("#password", "inbox-password");
    }

    private static async Task SendTestAsync(IPage page)
    {
        await page.ClickAsync("#send-test");
        await page.ClickAsync("#test-send");
        await page.WaitForSelectorAsync("#test-report:not([hidden])");
    }
}
