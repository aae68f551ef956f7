using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SystemMail.AspNetCore.Tests.Infrastructure;

namespace SystemMail.AspNetCore.Tests.Admin;

/// <summary>
/// The admin endpoints answer the rules' messages in the request's culture, as the page shows its labels; the fields
/// they are placed at, and the English, are those of start-up validation.
/// </summary>
public sealed class LocalizedValidationTests
{
    // Five mistakes: an address, a host with its port, a port out of range (an attribute's), a missing password, a proxy without its port.
    private static readonly object Mistakes = new
    {
        from = "not an address",
        provider = "custom",
        host = "smtp.acme.test:587",
        port = 70000,
        security = "StartTls",
        authentication = "Basic",
        username = "mailer",
        password = "",
        proxy = new { type = "Socks5", host = "proxy.acme.test" },
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SaveSettings_SeveralMistakesInEnglish_AnswersTheStartUpMessagesAtTheirFields()
    {
        await using var host = await AdminHost.StartAsync(cancellationToken: Ct);
        using var admin = Client(host, "en");

        var errors = await SaveRefusedAsync(admin);

        Assert.Equal(["from", "host", "password", "port", "proxy.port"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("must be between 1 and 65535.", errors["port"]);
        Assert.Equal("'not an address' is not a valid address; use 'name@domain' or 'Display Name <name@domain>'.", errors["from"]);
        Assert.Equal(
            "must be a bare host name or IP address, such as 'smtp.example.com', without user, password, scheme, port, path or spaces; " +
            "the port goes in Port and the credentials in Username and Password.",
            errors["host"]);
        Assert.Equal("is required with Basic authentication: the SMTP account's password.", errors["password"]);
        Assert.Equal("is required with Proxy.Host: the proxy's port, such as 1080 (SOCKS) or 3128 (HTTP).", errors["proxy.port"]);
    }

    [Fact]
    public async Task SaveSettings_SeveralMistakesInChinese_AnswersChineseMessagesAtTheSameFields()
    {
        await using var host = await AdminHost.StartAsync(cancellationToken: Ct);
        using var admin = Client(host, "zh-CN");

        var errors = await SaveRefusedAsync(admin);

        Assert.Equal(["from", "host", "password", "port", "proxy.port"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("必须介于 1 和 65535 之间。", errors["port"]);
        Assert.Equal("“not an address”不是有效的邮箱地址；请使用“name@domain”或“显示名称 <name@domain>”的格式。", errors["from"]);
        Assert.StartsWith("只能填写主机名或 IP 地址", errors["host"], StringComparison.Ordinal);
        Assert.Equal("使用 Basic 认证时为必填项：填写 SMTP 账号的密码。", errors["password"]);
        Assert.Equal("填写了 Proxy.Host 时为必填项：代理的端口，例如 1080（SOCKS）或 3128（HTTP）。", errors["proxy.port"]);
        Assert.Null(await host.Services.GetRequiredService<IOAuthTokenStore>().GetAsync("settings", Ct));
    }

    [Fact]
    public async Task TestConnection_InvalidUnsavedSettingsInChinese_ReportsTheProblemsInChinese()
    {
        await using var host = await AdminHost.StartAsync(cancellationToken: Ct);
        using var admin = Client(host, "zh-CN");

        using var response = await admin.PostAsJsonAsync(AdminHost.Url("test-connection"), new { settings = Mistakes }, JsonSerializerOptions.Web, Ct);
        var report = await response.ReadObjectAsync();

        Assert.Equal("Settings", report["failedStage"]!.GetValue<string>());
        var error = report["error"]!.GetValue<string>();
        Assert.StartsWith("邮件设置无效：", error, StringComparison.Ordinal);
        Assert.Contains("Password：使用 Basic 认证时为必填项：填写 SMTP 账号的密码。", error, StringComparison.Ordinal);
        Assert.Equal("zh-Hans", report["hintLanguage"]!.GetValue<string>());
    }

    [Fact]
    public async Task SaveTemplate_UnknownVariableInChinese_AnswersTheProblemInChineseWithItsPlace()
    {
        await using var host = await AdminHost.StartAsync(cancellationToken: Ct);
        using var admin = Client(host, "zh-CN");
        var body = new { subject = "Reset", html = "<p>{{ link }}</p>", text = "{{ link }} {{ nope }}" };

        // The English template edited by a Chinese-speaking administrator: the answer follows the administrator.
        using var response = await admin.PutAsJsonAsync(AdminHost.Url("templates/PasswordReset/en"), body, JsonSerializerOptions.Web, Ct);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var item = Assert.Single(problem["problems"]!.AsArray())!;
        Assert.StartsWith("“nope”不是 PasswordReset 邮件的变量。可用的变量有：", item["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("第 1 行第 ", problem["errors"]!["text"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static HttpClient Client(AdminHost host, string language)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue(language));
        return client;
    }

    /// <summary>The 400's errors, each field's messages joined.</summary>
    private static async Task<Dictionary<string, string>> SaveRefusedAsync(HttpClient admin)
    {
        using var response = await admin.PutSettingsAsync(Mistakes);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadObjectAsync())["errors"]!.AsObject();
        return errors.ToDictionary(e => e.Key, e => string.Join(" ", e.Value!.AsArray().Select(m => m!.GetValue<string>())), StringComparer.Ordinal);
    }
}
