using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SystemMail.AspNetCore.Tests.Infrastructure;

namespace SystemMail.AspNetCore.Tests.Admin;

/// <summary>A save goes through the start-up validators: a password in clear text to another machine is refused there too.</summary>
public sealed class InsecureSettingsSaveTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static object PlainBasic(string host) => new
    {
        from = "Acme IoT <no-reply@acme.test>",
        provider = "custom",
        host,
        port = 25,
        security = "None",
        authentication = "Basic",
        username = "mailer@acme.test",
        password = "Pw-SECRET-2b7e",
    };

    [Fact]
    public async Task SaveSettings_NoneWithBasicToAnotherMachine_Returns400NamingSecurity()
    {
        await using var host = await AdminHost.StartAsync(cancellationToken: Ct);
        using var admin = host.CreateClient();

        using var response = await admin.PutSettingsAsync(PlainBasic("smtp.acme.test"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadObjectAsync())["errors"]!.AsObject();
        var security = Assert.Single(errors);
        Assert.Equal("security", security.Key);
        Assert.Contains("AllowInsecureAuthentication", security.Value!.ToJsonString(), StringComparison.Ordinal);
        Assert.Null(await host.Services.GetRequiredService<IOAuthTokenStore>().GetAsync("settings", Ct));
    }

    [Fact]
    public async Task SaveSettings_NoneWithBasicOnThisMachine_Saves()
    {
        await using var host = await AdminHost.StartAsync(cancellationToken: Ct);
        using var admin = host.CreateClient();

        var saved = await admin.SaveAsync(PlainBasic("127.0.0.1"));

        Assert.True(saved["passwordSet"]!.GetValue<bool>());
    }

    [Fact]
    public async Task SaveSettings_NoneWithBasicAndTheHostAllowingIt_Saves()
    {
        await using var host = await AdminHost.StartAsync(o => o.AllowInsecureAuthentication = true, cancellationToken: Ct);
        using var admin = host.CreateClient();

        var saved = await admin.SaveAsync(PlainBasic("smtp.acme.test"));

        Assert.Equal("smtp.acme.test", saved["host"]!.GetValue<string>());
    }
}
