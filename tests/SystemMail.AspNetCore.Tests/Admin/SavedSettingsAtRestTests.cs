using System.Text;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using SystemMail.AspNetCore.Tests.Infrastructure;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.AspNetCore.Tests.Admin;

/// <summary>Settings saved from the page, as a real redis-server holds them: encrypted, no secret in clear.</summary>
public sealed class SavedSettingsAtRestTests
{
    private const string Password = "Pw-at-rest-93e1c4aa";
    private const string ProxyPassword = "Proxy-pw-51d0e2bb";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SaveSettings_Redis_RawBytesHoldNoSecretAndNoJson()
    {
        await using var redis = await RedisTestServer.StartAsync(Ct);
        await using var host = await AdminHost.StartAsync(
            systemMail: mail =>
            {
                mail.Services.AddStackExchangeRedisCache(o => o.Configuration = redis.Configuration);
                mail.AddDistributedTokenStore();
            },
            cancellationToken: Ct);
        using var admin = host.CreateClient();

        await admin.SaveAsync(new
        {
            from = "Acme IoT <no-reply@acme.test>",
            provider = "custom",
            host = "smtp.acme.test",
            port = 587,
            security = "StartTls",
            authentication = "Basic",
            username = "mailer@acme.test",
            password = Password,
            proxy = new { type = "Http", host = "proxy.acme.test", port = 3128, username = "proxy-user", password = ProxyPassword },
        });

        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var fields = await connection.GetDatabase().HashGetAllAsync("SystemMail:OAuth2:settings");
        var raw = string.Join("\n", fields.Select(f => Encoding.UTF8.GetString((byte[])f.Value!)));
        Assert.NotEmpty(fields);
        Assert.DoesNotContain(Password, raw, StringComparison.Ordinal);
        Assert.DoesNotContain(ProxyPassword, raw, StringComparison.Ordinal);
        Assert.DoesNotContain("mailer@acme.test", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("\"Password\"", raw, StringComparison.Ordinal);
    }
}
