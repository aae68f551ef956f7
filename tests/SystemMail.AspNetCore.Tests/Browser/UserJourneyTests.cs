using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace SystemMail.AspNetCore.Tests.Browser;

/// <summary>The two user journeys (sign up and activation, password reset) in Chromium, each mail read from the sample's inbox page by its administrator.</summary>
[Collection(BrowserCollection.Name)]
public sealed class UserJourneyTests(ChromiumFixture chromium)
{
    [Fact]
    public async Task SignUp_ActivationLinkClicked_AccountActivatedMailArrives()
    {
        await using var site = await SampleSite.StartAsync(chromium.Browser, "sign-up");
        var page = site.Page;

        await page.GotoAsync("/Account/Register");
        await page.FillAsync("#email", "new.user@acme.test");
        await page.FillAsync("#password", "New-user-1");
        await site.ScreenshotAsync("sign-up");
        await page.ClickAsync("#register");
        await page.WaitForSelectorAsync("#register-sent");

        var activation = await site.OpenMailAsync("new.user@acme.test", "Activate");
        await site.ScreenshotAsync("activation-mail", site.InboxPage);
        Assert.Contains("/Account/ConfirmEmail?userId=", activation.Message.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("&amp;", activation.Message.TextBody, StringComparison.Ordinal); // Identity's HTML-encoded link was decoded
        Assert.Equal("allow-top-navigation-by-user-activation allow-popups allow-popups-to-escape-sandbox", await site.InboxPage.GetAttributeAsync("#mail-body", "sandbox"));
        await site.FollowMailLinkAsync("a[href*='/Account/ConfirmEmail']");
        await page.WaitForSelectorAsync("#activated");
        await site.ScreenshotAsync("activated");

        var activated = await site.OpenMailAsync("new.user@acme.test", "is active");
        await site.ScreenshotAsync("account-activated-mail", site.InboxPage);
        Assert.Contains("/Account/Login", activated.Message.TextBody, StringComparison.Ordinal);

        // The admin API answers a signed-out browser 401 (no sign-in redirect for JSON), and a user 403.
        Assert.Equal(401, (await page.APIRequest.GetAsync("/Admin/Mail/api/settings")).Status);
        await site.SignInAsync("new.user@acme.test", "New-user-1");
        Assert.Equal(403, (await page.APIRequest.GetAsync("/Admin/Mail/api/settings")).Status);
        await site.InboxPage.GotoAsync("/Inbox");
        await site.ScreenshotAsync("inbox", site.InboxPage);
        Assert.Equal(2, await site.InboxPage.Locator("#inbox tbody tr").CountAsync());

        // The inbox, reset links and all, is the administrator's only.
        await page.GotoAsync("/Inbox");
        await page.WaitForSelectorAsync("#access-denied");
        Assert.Equal(0, await page.Locator("#inbox").CountAsync());
    }

    [Fact]
    public async Task SignUp_ChineseBrowser_ActivationMailIsInChinese()
    {
        await using var site = await SampleSite.StartAsync(chromium.Browser, "sign-up-zh", locale: "zh-CN");
        var page = site.Page;

        await page.GotoAsync("/Account/Register");
        await page.FillAsync("#email", "li.lei@acme.test");
        await page.FillAsync("#password", "New-user-1");
        await page.ClickAsync("#register");
        await page.WaitForSelectorAsync("#register-sent");

        var activation = await site.OpenMailAsync("li.lei@acme.test", "激活");
        await site.ScreenshotAsync("activation-mail", site.InboxPage);
        Assert.Contains("/Account/ConfirmEmail?userId=", activation.Message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForgotPassword_ResetLinkFollowed_PasswordWasResetMailArrives()
    {
        await using var site = await SampleSite.StartAsync(chromium.Browser, "forgot-password");
        await using (var scope = site.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            var user = new IdentityUser { UserName = "operator@acme.test", Email = "operator@acme.test", EmailConfirmed = true };
            Assert.True((await users.CreateAsync(user, "Old-password-1")).Succeeded);
        }

        var page = site.Page;
        await page.GotoAsync("/Account/Login");
        await page.ClickAsync("#forgot");
        await page.FillAsync("#email", "operator@acme.test");
        await site.ScreenshotAsync("forgot-password");
        await page.ClickAsync("#send-reset");
        await page.WaitForSelectorAsync("#reset-sent");

        await site.OpenMailAsync("operator@acme.test", "Reset");
        await site.ScreenshotAsync("reset-mail", site.InboxPage);
        await site.FollowMailLinkAsync("a[href*='/Account/ResetPassword']");
        var resetLink = page.Url;
        await page.FillAsync("#password", "New-password-2");
        await site.ScreenshotAsync("new-password");
        await page.ClickAsync("#reset");
        await page.WaitForSelectorAsync("#password-reset");

        // The link again: it says at once that it was used, instead of a bare "Invalid token" after typing a password.
        await page.GotoAsync(resetLink);
        await page.WaitForSelectorAsync("#reset-link-unusable");
        Assert.Contains("already used or has expired", await page.TextContentAsync("#reset-link-unusable"), StringComparison.Ordinal);
        await site.ScreenshotAsync("reset-link-used");

        var wasReset = await site.OpenMailAsync("operator@acme.test", "was changed");
        await site.ScreenshotAsync("password-was-reset-mail", site.InboxPage);
        Assert.Contains("/Account/Login", wasReset.Message.TextBody, StringComparison.Ordinal);

        // The new password works, and an operator is no mail administrator.
        await site.SignInAsync("operator@acme.test", "New-password-2");
        await page.GotoAsync("/Admin/Mail");
        await page.WaitForSelectorAsync("#access-denied");
        await site.ScreenshotAsync("not-an-administrator");
    }

    [Fact]
    public async Task SignIn_Administrator_PackagedPageOpensAndSignOutWorks()
    {
        await using var site = await SampleSite.StartAsync(chromium.Browser, "administrator");
        var page = site.Page;
        var configuredPort = site.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["Sample:Inbox:Port"];
        Assert.Equal(configuredPort, site.Inbox.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)); // kept across restarts

        await site.SignInAsync(SampleSite.AdministratorEmail, SampleSite.AdministratorPassword);
        var response = await page.GotoAsync("/Admin/Mail");
        await page.WaitForSelectorAsync("body[data-ready='true']");
        Assert.Contains("script-src 'self'", response!.Headers["content-security-policy"], StringComparison.Ordinal);
        Assert.Equal("Mail server · Acme IoT", await page.TitleAsync());
        Assert.Equal(configuredPort, await page.InputValueAsync("#port"));
        await site.ScreenshotAsync("mail-server");

        // Sign out posts the antiforgery token: the user is signed out, not answered a blank 400.
        await page.GotoAsync("/");
        await page.ClickAsync("#sign-out");
        await page.WaitForSelectorAsync("a[href='/Account/Login']");
        Assert.Equal(401, (await page.APIRequest.GetAsync("/Admin/Mail/api/settings")).Status);
    }
}
