using System.Globalization;
using Microsoft.Playwright;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SystemMail.AspNetCore.Tests.Infrastructure;
using SystemMail.AspNetCore.Tests.Outbox;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.AspNetCore.Tests.Browser;

/// <summary>
/// The packaged page's sections in Chromium: the mail templates (edited, previewed in a sandboxed frame, saved, refused
/// with line and column, falling back at render time), the outbox, and the Microsoft Graph provider's fields. Mail is
/// received by a real SMTP server on 127.0.0.1.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PageSectionsTests(ChromiumFixture chromium) : IAsyncLifetime
{
    private SmtpTestServer _smtp = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _smtp = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { AuthOptional = true }, Ct);

    public async ValueTask DisposeAsync() => await _smtp.DisposeAsync();

    [Fact]
    public async Task Templates_EditPreviewSave_NextMailAndTestArriveWithTheEditedText()
    {
        await using var host = await StartHostAsync();
        await using var visit = await PageVisit.OpenAsync(chromium.Browser, host, "templates");
        var page = visit.Page;
        await page.WaitForSelectorAsync("body[data-templates-ready='true'][data-outbox-ready='true']");
        Assert.True(await page.IsHiddenAsync("#outbox-section"), "The outbox section shows without the outbox.");

        await page.SelectOptionAsync("#template-kind", "PasswordReset");
        await Assertions.Expect(page.Locator("#template-subject")).ToHaveValueAsync(new Regex("password", RegexOptions.IgnoreCase));
        Assert.Equal("The built-in template is in use.", await page.TextContentAsync("#template-state"));
        Assert.True(await page.IsDisabledAsync("#template-save"));
        Assert.True(await page.IsDisabledAsync("#template-reset"));
        await page.FillAsync("#template-subject", "EDITED {{ product_name }}");
        await page.FillAsync("#template-text", "EDITED-TEXT open {{ link }} within {{ lifetime }}.");

        // The preview: the text, and the HTML in a sandboxed frame of its own (the mail's inline styles apply there).
        await page.ClickAsync("#template-preview");
        await Assertions.Expect(page.Locator("#template-preview-text")).ToContainTextAsync("EDITED-TEXT open https://");
        Assert.Equal("EDITED Acme IoT", await page.TextContentAsync("#template-preview-subject"));
        Assert.Equal(string.Empty, await page.GetAttributeAsync("#template-preview-frame", "sandbox"));
        var frameLink = page.FrameLocator("#template-preview-frame").GetByText("Reset password");
        await Assertions.Expect(frameLink).ToBeVisibleAsync();
        Assert.Equal("inline-block", await frameLink.EvaluateAsync<string>("a => getComputedStyle(a).display"));

        await page.ClickAsync("#template-save");
        await Assertions.Expect(page.Locator("#template-result")).ToHaveTextAsync("Saved.");
        Assert.Contains("alice", await page.TextContentAsync("#template-state"), StringComparison.Ordinal);
        Assert.False(await page.IsDisabledAsync("#template-reset"));
        await visit.ScreenshotAsync("templates", "templates");

        var link = new Uri("https://app.acme.test/reset?token=edited");
        await host.Services.GetRequiredService<ISystemMailer>().SendPasswordResetAsync("user@acme.test", link, TimeSpan.FromHours(1), CultureInfo.GetCultureInfo("en"), Ct);
        await page.FillAsync("#template-test-to", "bob@acme.test");
        await page.ClickAsync("#template-send-test");
        await Assertions.Expect(page.Locator("#template-result")).ToHaveTextAsync("Test mail sent to bob@acme.test.");

        var mails = await _smtp.GetMessagesAsync(Ct);
        Assert.Equal(2, mails.Count);
        Assert.All(mails, m => Assert.Equal("EDITED Acme IoT", m.Message.Subject));
        Assert.Contains($"EDITED-TEXT open {link.AbsoluteUri} within 1 hour.", mails[0].Message.TextBody, StringComparison.Ordinal);
        Assert.Contains("EDITED-TEXT open https://", mails[1].Message.TextBody, StringComparison.Ordinal);

        // Microsoft Graph: no SMTP server or proxy to set, and the permission to grant is named.
        await page.SelectOptionAsync("#provider", "office365-graph");
        Assert.True(await page.IsHiddenAsync("#connection"));
        Assert.True(await page.IsHiddenAsync("#proxy-fields"));
        await Assertions.Expect(page.Locator("#graph-permission")).ToContainTextAsync("Mail.Send");
        Assert.Contains("offline_access", await page.TextContentAsync("#graph-permission"), StringComparison.Ordinal);
        await page.SelectOptionAsync("#provider", "custom");
        Assert.True(await page.IsVisibleAsync("#connection"));
        visit.AssertNoCspViolations();
    }

    [Fact]
    public async Task Templates_SyntaxErrorThenFailingAtRender_RefusedAtTheFieldThenTheMailFallsBackToTheBuiltIn()
    {
        await using var host = await StartHostAsync();
        await using var visit = await PageVisit.OpenAsync(chromium.Browser, host, "template-errors");
        var page = visit.Page;
        await page.WaitForSelectorAsync("body[data-templates-ready='true']");
        await page.SelectOptionAsync("#template-kind", "PasswordReset");
        await Assertions.Expect(page.Locator("#template-subject")).ToHaveValueAsync(new Regex("password", RegexOptions.IgnoreCase));

        // A Liquid syntax error: refused, shown at the field with its line and column, and announced.
        await page.FillAsync("#template-text", "Open {{ link }}\nwithin {% if %} {{ lifetime }}.");
        await page.ClickAsync("#template-save");
        await Assertions.Expect(page.Locator("#template-text-error")).ToContainTextAsync(new Regex(@"^Line 2, column \d+: "));
        Assert.Equal("true", await page.GetAttributeAsync("#template-text", "aria-invalid"));
        Assert.Contains("template-text-error", await page.GetAttributeAsync("#template-text", "aria-describedby"), StringComparison.Ordinal);
        Assert.Equal("alert", await page.GetAttributeAsync("#template-errors", "role"));
        Assert.Contains("Text: Line 2", await page.TextContentAsync("#template-errors"), StringComparison.Ordinal);
        Assert.Equal("Not saved.", await page.TextContentAsync("#template-result"));
        await visit.ScreenshotAsync("syntax-error");

        // Valid for the preview's sample link, past the render limit for a long one (as in TemplateEndpointsTests).
        await page.FillAsync("#template-text", "{% assign n = link | size %}{% for i in (1..n) %}{% for j in (1..n) %}{% endfor %}{% endfor %}CUSTOM {{ link }}");
        await page.ClickAsync("#template-save");
        await Assertions.Expect(page.Locator("#template-result")).ToHaveTextAsync("Saved.");
        Assert.True(await page.IsHiddenAsync("#template-errors"));

        var health = host.Services.GetRequiredService<HealthCheckService>();
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(Ct)).Status);
        var link = new Uri("https://app.acme.test/reset?token=" + new string('t', 570));
        await host.Services.GetRequiredService<ISystemMailer>().SendPasswordResetAsync("user@acme.test", link, TimeSpan.FromHours(1), CultureInfo.GetCultureInfo("en"), Ct);

        var mail = Assert.Single(await _smtp.GetMessagesAsync(Ct));
        Assert.Equal("Reset your Acme IoT password", mail.Message.Subject);
        Assert.Contains(link.AbsoluteUri, mail.Message.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("CUSTOM", mail.Message.TextBody, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Degraded, (await health.CheckHealthAsync(Ct)).Status);

        // Reset to the built-in template from the page: healthy again.
        await page.ClickAsync("#template-reset");
        await Assertions.Expect(page.Locator("#template-state")).ToHaveTextAsync("The built-in template is in use.");
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(Ct)).Status);
        visit.AssertNoCspViolations();
    }

    [Fact]
    public async Task Outbox_DeadLetteredMails_RetriedThenSentAndCancelledFromThePage()
    {
        await _smtp.SetBehaviourAsync(new SmtpTestServerBehaviour { RejectRecipients = [new SmtpTestRecipientRule("gone@example.test", 550, "5.1.1 No such user")] }, Ct);
        await using var site = await OutboxSite.StartAsync(_smtp.Port, Ct);
        var retried = await site.QueueDeadLetteredAsync("gone@example.test", Ct);
        var cancelled = await site.QueueDeadLetteredAsync("gone@example.test", Ct);
        await using var visit = await PageVisit.OpenAsync(chromium.Browser, site.BaseAddress, "outbox");
        var page = visit.Page;
        await page.WaitForSelectorAsync("body[data-outbox-ready='true']");
        Assert.True(await page.IsVisibleAsync("#outbox-section"));

        await page.SelectOptionAsync("#outbox-status", "DeadLettered");
        await Assertions.Expect(page.Locator("#outbox-rows tr")).ToHaveCountAsync(2);
        Assert.Contains("Account activation", await page.TextContentAsync($"tr[data-id='{retried}']"), StringComparison.Ordinal);
        Assert.DoesNotContain("gone@example.test", await page.TextContentAsync("#outbox-rows"), StringComparison.Ordinal);
        await visit.ScreenshotAsync("outbox", "outbox");

        // The recipient exists again: the retried mail is sent; the other one is cancelled.
        await _smtp.SetBehaviourAsync(new SmtpTestServerBehaviour(), Ct);
        await page.ClickAsync($"tr[data-id='{retried}'] button[data-action=retry]");
        await Assertions.Expect(page.Locator("#outbox-result")).ToHaveTextAsync("The mail is queued again.");
        await site.WaitForAsync(retried, m => m.Status == OutboxMailStatus.Sent, Ct);
        await page.ClickAsync($"tr[data-id='{cancelled}'] button[data-action=cancel]");
        await Assertions.Expect(page.Locator("#outbox-result")).ToHaveTextAsync("The mail was cancelled.");
        Assert.Equal(OutboxMailStatus.Cancelled, (await site.Outbox.GetAsync(cancelled, Ct))!.Status);
        await Assertions.Expect(page.Locator("#outbox-rows tr")).ToHaveCountAsync(0);
        Assert.Single(await _smtp.GetMessagesAsync(Ct));
        visit.AssertNoCspViolations();
    }

    private Task<AdminHost> StartHostAsync() =>
        AdminHost.StartAsync(
            o =>
            {
                o.Host = _smtp.Host;
                o.Port = _smtp.Port;
                o.Product.Name = "Acme IoT";
                o.Product.Url = new Uri("https://app.acme.test/");
            },
            b => b.AddHealthCheck(),
            cancellationToken: Ct);
}
