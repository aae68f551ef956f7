using Microsoft.Extensions.DependencyInjection;

namespace SystemMail.Tests.OAuth2;

/// <summary>The token status a settings page shows, when the settings themselves are wrong.</summary>
public sealed class TokenStatusTests
{
    private const string ClientSecret = "Cs-SECRET-41d9";

    [Fact]
    public async Task GetStatusAsync_InvalidSettings_ReturnsAStatusNamingThem()
    {
        var services = new ServiceCollection();
        // Not started, so not validated at start-up: the settings fail when first read, as after a bad reload.
        services.AddSystemMail(o =>
        {
            o.From = "alerts@acme.test";
            o.Provider = "custom";
            o.Host = "smtp.acme.test";
            o.Port = 587;
            o.Authentication = SmtpAuthenticationType.OAuth2;
            o.Username = "alerts@acme.test";
            o.OAuth2.ClientSecret = ClientSecret;
            o.OAuth2.TokenEndpoint = new Uri("https://id.acme.test/token");
            o.OAuth2.AuthorizationEndpoint = new Uri("https://id.acme.test/authorize");
            o.OAuth2.Scopes = ["smtp.send"];
            o.OAuth2.RedirectUri = new Uri("https://iot.acme.test/callback");
        });
        await using var provider = services.BuildServiceProvider();

        var status = await provider.GetRequiredService<IOAuthTokenService>().GetStatusAsync(TestContext.Current.CancellationToken);

        Assert.Equal(OAuthTokenState.NotGenerated, status.State);
        Assert.Contains("OAuth2.ClientId", status.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(ClientSecret, status.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(ClientSecret, status.ToString(), StringComparison.Ordinal);
    }
}
