using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using SystemMail.AspNetCore.Tests.Infrastructure;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.AspNetCore.Tests.Outbox;

/// <summary>The outbox's admin endpoints, behind the admin endpoints' authorization, against a real SMTP server.</summary>
public sealed class OutboxEndpointsTests : IAsyncLifetime
{
    private SmtpTestServer _smtp = null!;
    private OutboxSite _site = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _smtp = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { AuthOptional = true }, Ct);
        await _smtp.SetBehaviourAsync(new SmtpTestServerBehaviour { RejectRecipients = [new SmtpTestRecipientRule("gone@example.test", 550, "5.1.1 No such user")] }, Ct);
        _site = await OutboxSite.StartAsync(_smtp.Port, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _site.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    [Fact]
    public async Task Outbox_ListRetryAndCancel_DeadLetteredMailRetriedThenSentAndAnotherCancelled()
    {
        var retried = await DeadLetterAsync();
        var cancelled = await DeadLetterAsync();
        using var admin = _site.CreateClient();

        var list = JsonNode.Parse(await admin.GetStringAsync(AdminHost.Url("outbox?status=DeadLettered"), Ct))!.AsArray();
        await _smtp.SetBehaviourAsync(new SmtpTestServerBehaviour(), Ct);
        using var retry = await admin.PostAsync(AdminHost.Url($"outbox/{retried}/retry"), JsonContent.Create(new { }), Ct);
        using var cancel = await admin.PostAsync(AdminHost.Url($"outbox/{cancelled}/cancel"), JsonContent.Create(new { }), Ct);
        await _site.WaitForAsync(retried, m => m.Status == OutboxMailStatus.Sent, Ct);
        using var cancelSent = await admin.PostAsync(AdminHost.Url($"outbox/{retried}/cancel"), JsonContent.Create(new { }), Ct);
        using var unknown = await admin.PostAsync(AdminHost.Url($"outbox/{Guid.NewGuid()}/retry"), JsonContent.Create(new { }), Ct);

        Assert.Equal(2, list.Count);
        Assert.All(list, m => Assert.Equal("DeadLettered", m!["status"]!.GetValue<string>()));
        Assert.Equal("RecipientRejected", list[0]!["lastErrorKind"]!.GetValue<string>());
        Assert.Equal(550, list[0]!["lastStatusCode"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.NoContent, retry.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, cancelSent.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(OutboxMailStatus.Cancelled, (await _site.Outbox.GetAsync(cancelled, Ct))!.Status);
        var received = Assert.Single(await _smtp.GetMessagesAsync(Ct));
        Assert.Equal("gone@example.test", Assert.Single(received.RcptTo));
        var one = JsonNode.Parse(await admin.GetStringAsync(AdminHost.Url($"outbox/{retried}"), Ct))!.AsObject();
        Assert.Equal("Sent", one["status"]!.GetValue<string>());
        Assert.DoesNotContain("gone@example.test", one.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Outbox_NotAnAdministrator_RefusedAndNothingChanges()
    {
        var id = await DeadLetterAsync();
        using var anonymous = _site.CreateClient(user: null);
        using var user = _site.CreateClient(roles: "user");
        using var admin = _site.CreateClient();

        using var anonymousList = await anonymous.GetAsync(AdminHost.Url("outbox"), Ct);
        using var userRetry = await user.PostAsync(AdminHost.Url($"outbox/{id}/retry"), JsonContent.Create(new { }), Ct);
        using var formRetry = await admin.PostAsync(AdminHost.Url($"outbox/{id}/retry"), new FormUrlEncodedContent([]), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymousList.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, userRetry.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, formRetry.StatusCode);
        Assert.Equal(OutboxMailStatus.DeadLettered, (await _site.Outbox.GetAsync(id, Ct))!.Status);
    }

    [Fact]
    public async Task Outbox_RequestCulture_LastHintInItsLanguageBesideTheHintId()
    {
        var id = await DeadLetterAsync();
        using var admin = _site.CreateClient();

        var english = await GetAsync(admin, $"outbox/{id}", "en-US");
        var chinese = await GetAsync(admin, $"outbox/{id}", "zh-CN");
        var japanese = (await GetAsync(admin, "outbox?status=DeadLettered", "ja-JP")).AsArray().Single(m => m!["id"]!.GetValue<Guid>() == id)!;

        Assert.All(new[] { english, chinese, japanese }, m => Assert.Equal("RecipientRejected", m["lastHintId"]!.GetValue<string>()));
        Assert.StartsWith("The server refused the recipient", english["lastHint"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("服务器拒绝了收件人：请检查地址；该邮箱可能不存在，或服务器不为其中继。", chinese["lastHint"]!.GetValue<string>());
        Assert.StartsWith("サーバーが受信者を拒否しました。", japanese["lastHint"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("RecipientRejected", chinese["lastErrorKind"]!.GetValue<string>());
        Assert.DoesNotContain("gone@example.test", chinese.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<JsonNode> GetAsync(HttpClient admin, string path, string culture)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, AdminHost.Url(path));
        request.Headers.AcceptLanguage.ParseAdd(culture);
        using var response = await admin.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
    }

    private async Task<Guid> DeadLetterAsync()
    {
        var id = await _site.Outbox.QueueActivationAsync("gone@example.test", new Uri("https://portal.example.test/activate?t=1"), TimeSpan.FromHours(1), cancellationToken: Ct);
        await _site.WaitForAsync(id, m => m.Status == OutboxMailStatus.DeadLettered, Ct);
        return id;
    }
}
