using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SystemMail.AspNetCore.Tests.Infrastructure;

namespace SystemMail.AspNetCore.Tests.Admin;

/// <summary>The packaged page over real HTTP: who may open it, its language, the host's options, its files, its redirect URI.</summary>
public sealed class AdminPageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Page_AnonymousOrNotAnAdministrator_IsRefused()
    {
        await using var host = await AdminHost.StartAsync(cancellationToken: Ct);
        using var anonymous = host.CreateClient(user: null);
        using var operatorUser = host.CreateClient("bob", roles: "operator");

        using var signedOut = await anonymous.GetAsync(AdminHost.SettingsPage, Ct);
        using var forbidden = await operatorUser.GetAsync(AdminHost.SettingsPage, Ct);
        using var script = await operatorUser.GetAsync(AdminHost.SettingsPage + "/assets/form.js", Ct);
        using var api = await operatorUser.GetAsync(AdminHost.SettingsPage + "/api/settings", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, signedOut.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, script.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
    }

    [Fact]
    public async Task Page_Administrator_HtmlWithAStrictContentSecurityPolicy()
    {
        await using var host = await AdminHost.StartAsync(cancellationToken: Ct);
        using var admin = host.CreateClient();

        using var response = await admin.GetAsync(AdminHost.SettingsPage, Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'", csp);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.Contains("<title>Mail server</title>", html, StringComparison.Ordinal);
        Assert.Contains("data-api=\"/admin/mail/api\"", html, StringComparison.Ordinal);
        Assert.Contains("data-user-email=\"alice@acme.test\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("style=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_ChineseAcceptLanguage_ChineseTextsAndLanguage()
    {
        await using var host = await AdminHost.StartAsync(cancellationToken: Ct);
        using var admin = host.CreateClient();
        admin.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue("zh-CN"));

        var html = await admin.GetStringAsync(AdminHost.SettingsPage, Ct);

        Assert.Contains("<html lang=\"zh-CN\">", html, StringComparison.Ordinal);
        Assert.Contains("<title>邮件服务器</title>", html, StringComparison.Ordinal);
        Assert.Contains(">发送测试邮件<", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_HostOptions_TitleLogoAndStylesheetEncodedAndAdmittedByThePolicy()
    {
        await using var host = await AdminHost.StartAsync(systemMail: mail => mail.AddAdmin(o =>
        {
            o.Page.Title = "Acme <IoT> mail";
            o.Page.LogoUrl = "https://cdn.acme.test/logo.svg?a=1&b=2";
            o.Page.StylesheetUrl = "/css/mail.css";
        }), cancellationToken: Ct);
        using var admin = host.CreateClient();

        using var response = await admin.GetAsync(AdminHost.SettingsPage, Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));

        Assert.Contains("<title>Acme &lt;IoT&gt; mail</title>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<IoT>", html, StringComparison.Ordinal);
        Assert.Contains("<img src=\"https://cdn.acme.test/logo.svg?a=1&amp;b=2\" alt=\"\">", html, StringComparison.Ordinal);
        Assert.Contains("<link rel=\"stylesheet\" href=\"/css/mail.css\">", html, StringComparison.Ordinal);
        Assert.Contains("img-src 'self' data: https://cdn.acme.test;", csp, StringComparison.Ordinal);
        Assert.Contains("style-src 'self';", csp, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddAdmin_LogoUrlNotAnHttpUrl_FailsAtStartNamingIt()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            AdminHost.StartAsync(systemMail: mail => mail.AddAdmin(o => o.Page.LogoUrl = "javascript:alert(1)"), cancellationToken: Ct));

        Assert.Contains("Page.LogoUrl", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assets_Script_VersionedCachedAndNotSniffed()
    {
        await using var host = await AdminHost.StartAsync(cancellationToken: Ct);
        using var admin = host.CreateClient();
        var html = await admin.GetStringAsync(AdminHost.SettingsPage, Ct);
        var src = System.Text.RegularExpressions.Regex.Match(html, "<script src=\"([^\"]+)\"").Groups[1].Value;

        using var script = await admin.GetAsync(src, Ct);
        using var again = new HttpRequestMessage(HttpMethod.Get, src);
        again.Headers.IfNoneMatch.Add(script.Headers.ETag!);
        using var notModified = await admin.SendAsync(again, Ct);
        using var unknown = await admin.GetAsync(AdminHost.SettingsPage + "/assets/secrets.json", Ct);

        Assert.StartsWith(AdminHost.SettingsPage + "/assets/common.js?v=", src, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType!.MediaType);
        Assert.Equal("nosniff", script.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.True(script.Headers.CacheControl!.Private && script.Headers.CacheControl.MaxAge > TimeSpan.FromDays(300));
        Assert.Contains("'use strict'", await script.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public void Strings_EveryLanguage_HasEveryEnglishText()
    {
        var english = PageStrings.For(PageStrings.English);
        foreach (var language in PageStrings.Available)
        {
            var texts = PageStrings.For(language);
            Assert.Equal(english.Keys.Order(), texts.Keys.Order());
            Assert.All(texts, t => Assert.False(string.IsNullOrWhiteSpace(t.Value), $"{language}: {t.Key} is blank."));
        }

        // Every placeholder of the page has a text.
        foreach (System.Text.RegularExpressions.Match placeholder in System.Text.RegularExpressions.Regex.Matches(PageAssets.Template, @"\{\{t\.([A-Za-z]+)\}\}"))
        {
            Assert.True(english.ContainsKey(placeholder.Groups[1].Value), placeholder.Value);
        }
    }

    [Theory]
    [InlineData("zh-CN", PageStrings.SimplifiedChinese)]
    [InlineData("zh-Hans", PageStrings.SimplifiedChinese)]
    [InlineData("zh-SG", PageStrings.SimplifiedChinese)]
    [InlineData("zh", PageStrings.SimplifiedChinese)]
    [InlineData("zh-TW", "zh-Hant")]
    [InlineData("zh-HK", "zh-Hant")]
    [InlineData("ja-JP", "ja")]
    [InlineData("ko-KR", "ko")]
    [InlineData("de-DE", "de")]
    [InlineData("de-AT", "de")]
    [InlineData("fr-CA", "fr")]
    [InlineData("es-MX", "es")]
    [InlineData("pt-BR", "pt-BR")]
    [InlineData("pt-PT", "pt-BR")]
    [InlineData("pt", "pt-BR")]
    [InlineData("ru-RU", "ru")]
    [InlineData("en-GB", PageStrings.English)]
    [InlineData("it-IT", PageStrings.English)]
    [InlineData("", PageStrings.English)]
    public void LanguageOf_Culture_IsTheLanguageOfTheHintsFallback(string culture, string expected) =>
        Assert.Equal(expected, PageStrings.LanguageOf(System.Globalization.CultureInfo.GetCultureInfo(culture)));

    [Theory]
    [InlineData("zh-CN", "zh-CN")]
    [InlineData("zh", "zh-Hans")]
    [InlineData("zh-TW", "zh-TW")]
    [InlineData("de-AT", "de-AT")]
    [InlineData("pt-PT", "pt-BR")]
    [InlineData("it-IT", "en")]
    [InlineData("en-GB", "en")]
    public void HtmlLanguage_Culture_NamesTheLanguageTheTextIsWrittenIn(string culture, string expected)
    {
        var info = System.Globalization.CultureInfo.GetCultureInfo(culture);

        Assert.Equal(expected, PageStrings.HtmlLanguage(info, PageStrings.LanguageOf(info)));
    }

    [Fact]
    public async Task Save_RedirectUriComposedByThePage_IsSavedInsteadOfTheRequestHost()
    {
        await using var host = await AdminHost.StartAsync(cancellationToken: Ct);
        using var admin = host.CreateClient();
        const string Public = "https://iot.acme.test/admin/mail/api/oauth2/callback";

        using var saved = await admin.PutAsJsonAsync(AdminHost.SettingsPage + "/api/settings", new
        {
            from = "Acme IoT <no-reply@acme.test>",
            provider = "custom",
            host = "smtp.acme.test",
            port = 587,
            security = "StartTls",
            authentication = "OAuth2",
            username = "mailer@acme.test",
            oauth2 = new
            {
                clientId = "client",
                clientSecret = "secret",
                authorizationEndpoint = "https://login.acme.test/authorize",
                tokenEndpoint = "https://login.acme.test/token",
                scopes = new[] { "smtp" },
                redirectUri = Public,
            },
        }, JsonSerializerOptions.Web, Ct);
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync(Ct));
        var settings = JsonNode.Parse(await admin.GetStringAsync(AdminHost.SettingsPage + "/api/settings", Ct))!["oauth2"]!;

        Assert.Equal(Public, settings["redirectUri"]!.GetValue<string>());
        Assert.Equal("/admin/mail/api/oauth2/callback", settings["callbackPath"]!.GetValue<string>());
        Assert.False(settings["redirectUriConfigured"]!.GetValue<bool>());
        Assert.Equal(new Uri(Public), host.Services.GetRequiredService<IOptionsMonitor<SystemMailOptions>>().CurrentValue.OAuth2!.RedirectUri);
    }

    [Fact]
    public async Task PreviewFrame_FromThePageOrAnotherSite_SandboxedDocumentOrRefused()
    {
        await using var host = await AdminHost.StartAsync(cancellationToken: Ct);
        using var admin = host.CreateClient();
        var form = new Dictionary<string, string> { ["subject"] = "S", ["html"] = "<p style=\"color:red\"><a href=\"{{ link }}\">x</a></p>", ["text"] = "{{ link }}" };

        using var sameOrigin = new HttpRequestMessage(HttpMethod.Post, "/admin/mail/preview-frame/PasswordReset/en") { Content = new FormUrlEncodedContent(form) };
        sameOrigin.Headers.Add("Sec-Fetch-Site", "same-origin");
        using var shown = await admin.SendAsync(sameOrigin, Ct);
        using var crossSite = new HttpRequestMessage(HttpMethod.Post, "/admin/mail/preview-frame/PasswordReset/en") { Content = new FormUrlEncodedContent(form) };
        crossSite.Headers.Add("Sec-Fetch-Site", "cross-site");
        using var refused = await admin.SendAsync(crossSite, Ct);
        using var signedOut = host.CreateClient(user: null);
        using var anonymous = await signedOut.PostAsync("/admin/mail/preview-frame/PasswordReset/en", new FormUrlEncodedContent(form), Ct);

        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        Assert.Equal("text/html", shown.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<p style=\"color:red\"><a href=\"https://", await shown.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var csp = string.Join(";", shown.Headers.GetValues("Content-Security-Policy"));
        Assert.StartsWith("sandbox; default-src 'none'; style-src 'unsafe-inline'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'self'", csp, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
