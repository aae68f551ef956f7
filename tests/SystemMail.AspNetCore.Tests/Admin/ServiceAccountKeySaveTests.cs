using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SystemMail.AspNetCore.Tests.Infrastructure;
using SystemMail.Tests.Infrastructure.OAuth2;

namespace SystemMail.AspNetCore.Tests.Admin;

/// <summary>A Google service account key saved through the admin endpoints: kept like the client secret, never returned, never in clear at rest.</summary>
public sealed class ServiceAccountKeySaveTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static object Form(string username, string? key) => new
    {
        from = "Contoso IoT <mailer@contoso.test>",
        provider = "google",
        authentication = "OAuth2",
        username,
        oauth2 = new { serviceAccountKey = key },
    };

    [Fact]
    public async Task SaveSettings_ServiceAccountKey_SetButNeverReturnedNorStoredInClearAndKeptOnlyForItsDestination()
    {
        // Arrange: the host chose the flow; the page carries the key.
        using var account = OAuth2TestServiceAccount.Create();
        var key = account.KeyJson();
        var keyBody = JsonDocument.Parse(key).RootElement.GetProperty("private_key").GetString()!.Split('\n')[1];
        await using var host = await AdminHost.StartAsync(o => o.OAuth2.Flow = OAuthFlow.ServiceAccount, cancellationToken: Ct);
        using var admin = host.CreateClient();

        // Act
        var saved = await admin.SaveAsync(Form("mailer@contoso.test", key));
        var keptForSameDestination = await admin.SaveAsync(Form("mailer@contoso.test", key: null));
        using var otherMailbox = await admin.PutSettingsAsync(Form("other@contoso.test", key: null));
        var settings = await admin.GetObjectAsync("settings");
        var stored = await host.Services.GetRequiredService<IOAuthTokenStore>().GetAsync("settings", Ct);

        // Assert
        Assert.True(settings["oauth2"]!["serviceAccountKeySet"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.BadRequest, otherMailbox.StatusCode);
        var refusal = await otherMailbox.Content.ReadAsStringAsync(Ct);
        Assert.Contains("serviceAccountKey", refusal, StringComparison.OrdinalIgnoreCase);
        foreach (var body in new[] { saved.ToJsonString(), keptForSameDestination.ToJsonString(), refusal, settings.ToJsonString(), Encoding.UTF8.GetString(stored!.Value.Span) })
        {
            Assert.DoesNotContain(keyBody, body, StringComparison.Ordinal);
            Assert.DoesNotContain("PRIVATE KEY", body, StringComparison.Ordinal);
        }
    }
}
