using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SystemMail.AspNetCore.Tests.Outbox;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.AspNetCore.Tests.Browser;

/// <summary>
/// The page's templates and outbox sections (a template previewed, a dead-lettered mail with its buttons) in Chinese,
/// and 390 px wide, as the settings form is in <see cref="PackagedPageTests"/>.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PageSectionsLayoutTests(ChromiumFixture chromium) : IAsyncLifetime
{
    private const string Rejected = "gone@example.test";

    private const string Sections = "#templates-section, #outbox-section";

    // The texts a user reads or hears in the parts the selector names: text, option and accessible-name attributes (not the template's own content).
    private const string TextsScript =
        """
        selector => {
            const texts = [];
            for (const section of document.querySelectorAll(selector)) {
                const walker = document.createTreeWalker(section, NodeFilter.SHOW_TEXT);
                for (let node; (node = walker.nextNode());) {
                    const element = node.parentElement;
                    if (node.textContent.trim() && !element.closest('textarea, pre, option') && element.checkVisibility()) { texts.push(node.textContent.trim()); }
                }
                for (const element of section.querySelectorAll('option')) { texts.push(element.text); }
                for (const element of section.querySelectorAll('[aria-label], [title], [placeholder]')) {
                    texts.push(...['aria-label', 'title', 'placeholder'].map(a => element.getAttribute(a)).filter(Boolean));
                }
            }
            return texts;
        }
        """;

    private SmtpTestServer _smtp = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _smtp = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { AuthOptional = true }, Ct);
        await _smtp.SetBehaviourAsync(new SmtpTestServerBehaviour { RejectRecipients = [new SmtpTestRecipientRule(Rejected, 550, "5.1.1 No such user")] }, Ct);
    }

    public async ValueTask DisposeAsync() => await _smtp.DisposeAsync();

    [Fact]
    public async Task Sections_ChineseBrowser_TemplatesAndOutboxLabelsAndButtonsAreChinese()
    {
        await using var site = await OutboxSite.StartAsync(_smtp.Port, Ct);
        await site.QueueDeadLetteredAsync(Rejected, Ct);
        await using var visit = await OpenSectionsAsync(site, "sections-zh-CN", "zh-CN", 1100);
        var page = visit.Page;

        Assert.Equal("邮件模板", await page.TextContentAsync("#templates-title"));
        Assert.Equal("重试", await page.TextContentAsync("#outbox-rows button[data-action=retry]"));
        Assert.Equal("简体中文 (zh-Hans)", await page.Locator("#template-culture option:checked").TextContentAsync());
        Assert.Equal("主题：", (await page.TextContentAsync("#template-preview-area p"))!.Trim()[..3]);
        var left = EnglishLeft(await page.EvaluateAsync<string[]>(TextsScript, Sections), "zh-Hans");
        Assert.True(left.Count == 0, "English left in Chinese: " + string.Join("; ", left));

        // The outbox's last error: the kind in Chinese, the reply code, and the hint in Chinese (its id kept in an attribute).
        Assert.Equal("收件人被拒绝 · 550服务器拒绝了收件人：请检查地址；该邮箱可能不存在，或服务器不为其中继。", (await page.TextContentAsync("#outbox-rows .sm-outbox-error"))!.Trim());
        Assert.Equal("RecipientRejected", await page.GetAttributeAsync("#outbox-rows .sm-outbox-hint", "data-hint-id"));

        // Each label, button, heading and column head is written in Chinese (HTML is HTML in both).
        var names = await page.EvaluateAsync<string[]>(
            "[...document.querySelectorAll(':is(#templates-section, #outbox-section) :is(label, button, h2, h3, th, #template-kind option, #template-culture option, #outbox-status option)')].map(e => e.textContent.trim())");
        Assert.NotEmpty(names);
        Assert.All(names, name => Assert.True(name == "HTML" || Regex.IsMatch(name, @"\p{IsCJKUnifiedIdeographs}"), $"'{name}' is not Chinese."));
        await visit.ScreenshotAsync("sections");
        visit.AssertNoCspViolations();
        visit.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Page_JapaneseBrowser_NoEnglishPageTextAndHtmlLangIsJapanese()
    {
        await using var site = await OutboxSite.StartAsync(_smtp.Port, Ct);
        await site.QueueDeadLetteredAsync(Rejected, Ct);
        await using var visit = await OpenSectionsAsync(site, "page-ja-JP", "ja-JP", 1100);
        var page = visit.Page;

        Assert.Equal("ja-JP", await page.GetAttributeAsync("html", "lang"));
        Assert.Equal("メール サーバー", await page.TitleAsync());
        Assert.Equal("日本語 (ja)", await page.Locator("#template-culture option:checked").TextContentAsync());
        Assert.StartsWith("宛先が拒否されました · 550サーバーが受信者を拒否しました。", (await page.TextContentAsync("#outbox-rows .sm-outbox-error"))!.Trim(), StringComparison.Ordinal);

        // The whole page, form and sections: no English string of the page is left (the template's own subject is Japanese too).
        var left = EnglishLeft(await page.EvaluateAsync<string[]>(TextsScript, "body"), "ja");
        Assert.True(left.Count == 0, "English left in Japanese: " + string.Join("; ", left));
        visit.AssertNoCspViolations();
        visit.AssertNoConsoleErrors();
    }

    [Theory]
    [InlineData("en-US")]
    [InlineData("zh-CN")]
    public async Task Sections_390PixelsWide_NoSidewaysScrollAndEveryControlReachableAndLabelled(string locale)
    {
        await using var site = await OutboxSite.StartAsync(_smtp.Port, Ct);
        await site.QueueDeadLetteredAsync(Rejected, Ct);
        await using var visit = await OpenSectionsAsync(site, "sections-390px-" + locale, locale, 390);
        var page = visit.Page;

        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= document.documentElement.clientWidth"),
            await page.EvaluateAsync<string>("`${document.documentElement.scrollWidth} > ${document.documentElement.clientWidth}`"));

        // Every control is named, and within the screen's width and within every box that would clip it: no sideways scrolling to reach it.
        var problems = await page.EvaluateAsync<string[]>(
            """
            () => {
                const problems = [];
                const width = document.documentElement.clientWidth;
                for (const control of document.querySelectorAll(':is(#templates-section, #outbox-section) :is(input, select, textarea, button, iframe)')) {
                    if (!control.checkVisibility()) { continue; }
                    const what = control.id || control.outerHTML.slice(0, 80);
                    const labelledBy = (control.getAttribute('aria-labelledby') ?? '').split(' ').map(id => document.getElementById(id)?.textContent ?? '').join('');
                    const name = [...(control.labels ?? [])].map(l => l.textContent).join('') || control.getAttribute('aria-label') || labelledBy || control.title || (control.tagName === 'BUTTON' ? control.textContent : '');
                    if (!name.trim()) { problems.push(`${what}: no name`); }
                    let left = 0, right = width;
                    for (let box = control.parentElement; box; box = box.parentElement) {
                        if (getComputedStyle(box).overflowX !== 'visible') { const r = box.getBoundingClientRect(); left = Math.max(left, r.left); right = Math.min(right, r.right); }
                    }
                    const r = control.getBoundingClientRect();
                    if (r.left < left - 0.5 || r.right > right + 0.5) { problems.push(`${what}: ${r.left}..${r.right} outside ${left}..${right}`); }
                }
                return problems;
            }
            """);
        Assert.True(problems.Length == 0, string.Join(Environment.NewLine, problems));

        // No word of a label, button, heading or table cell is cut across lines ("Att|emp|ts" in a squeezed column); Chinese may wrap between characters.
        var cut = await page.EvaluateAsync<string[]>(
            """
            () => {
                const cut = [];
                // Text only for screen readers (a 1 px box, as the column heads of the narrow layout) is not read on screen.
                const visuallyHidden = element => { for (let e = element; e; e = e.parentElement) { if (e.getBoundingClientRect().width <= 1) { return true; } } return false; };
                for (const element of document.querySelectorAll(':is(#templates-section, #outbox-section) :is(label, button, h2, h3, th, td)')) {
                    if (!element.checkVisibility() || visuallyHidden(element)) { continue; }
                    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
                    for (let node; (node = walker.nextNode());) {
                        for (const word of node.textContent.matchAll(/[^\s\u00b7\p{Script=Han}]+/gu)) {
                            const range = document.createRange();
                            range.setStart(node, word.index);
                            range.setEnd(node, word.index + word[0].length);
                            const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
                            if (lines.size > 1) { cut.push(`'${word[0]}' in ${element.tagName.toLowerCase()}`); }
                        }
                    }
                }
                return cut;
            }
            """);
        Assert.True(cut.Length == 0, "Words cut across lines: " + string.Join("; ", cut));
        await visit.ScreenshotAsync("sections");
        visit.AssertNoCspViolations();
    }

    /// <summary>The page with a template previewed and the dead-lettered mails listed.</summary>
    private async Task<PageVisit> OpenSectionsAsync(OutboxSite site, string test, string locale, int width)
    {
        var visit = await PageVisit.OpenAsync(chromium.Browser, site.BaseAddress, test, locale, width, 844);
        var page = visit.Page;
        await page.WaitForSelectorAsync("body[data-templates-ready='true'][data-outbox-ready='true']");
        await page.SelectOptionAsync("#outbox-status", "DeadLettered");
        await Assertions.Expect(page.Locator("#outbox-rows tr")).ToHaveCountAsync(1);
        await page.ClickAsync("#template-preview");
        await Assertions.Expect(page.Locator("#template-preview-text")).Not.ToBeEmptyAsync();
        return visit;
    }

    /// <summary>The page's English strings that <paramref name="language"/>'s strings replace, cut at their placeholders ({0}), found in <paramref name="texts"/>.</summary>
    private static List<string> EnglishLeft(IEnumerable<string> texts, string language)
    {
        var folder = Path.Combine(TestServerPaths.RepositoryRoot, "src", "SystemMail.AspNetCore", "Page", "Strings");
        var english = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(Path.Combine(folder, "en.json")))!;
        var translated = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(Path.Combine(folder, language + ".json")))!;
        var englishOnly = english.Where(p => translated.GetValueOrDefault(p.Key) != p.Value)
            .SelectMany(p => Regex.Split(p.Value, @"\{\d+\}"))
            .Select(part => part.Trim(' ', '.', ',', ':', '(', ')', '…'))
            .Where(part => part.Length >= 3 && part.Any(char.IsAsciiLetter))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return [.. texts.SelectMany(text => englishOnly.Where(e => Regex.IsMatch(text, $@"(?<![A-Za-z]){Regex.Escape(e)}(?![A-Za-z])")).Select(e => $"'{e}' in '{text}'"))];
    }
}
