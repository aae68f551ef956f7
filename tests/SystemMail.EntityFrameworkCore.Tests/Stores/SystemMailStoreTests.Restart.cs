using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SystemMail.EntityFrameworkCore.Tests.Infrastructure;
using SystemMail.Tests.Infrastructure.OAuth2;

namespace SystemMail.EntityFrameworkCore.Tests.Stores;

/// <summary>SystemMail's own services over the store, across restarts: a host that stops loses nothing it saved.</summary>
public abstract partial class SystemMailStoreTests
{
    private static readonly Uri RedirectUri = new("https://admin.contoso.test/settings/mail/oauth2/callback");

    [Fact]
    public async Task CompleteAuthorizationAsync_ConsentStartedBeforeRestart_TokensSurviveAnotherRestart()
    {
        // Arrange: a real authorization server; hosts that share the database and a Data Protection key ring.
        await using var oauth2 = await OAuth2TestServer.StartAsync(new OAuth2TestServerOptions { RequirePkce = true }, Ct);
        var keys = Directory.CreateTempSubdirectory("systemmail-keys-");
        try
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["SystemMail:From"] = $"Contoso IoT <{oauth2.User.Username}>",
                ["SystemMail:Provider"] = "custom",
                ["SystemMail:Host"] = "127.0.0.1",
                ["SystemMail:Port"] = "587",
                ["SystemMail:Security"] = "StartTls",
                ["SystemMail:Authentication"] = "OAuth2",
                ["SystemMail:Username"] = oauth2.User.Username,
                ["SystemMail:OAuth2:ClientId"] = oauth2.Client.ClientId,
                ["SystemMail:OAuth2:ClientSecret"] = oauth2.Client.ClientSecret,
                ["SystemMail:OAuth2:RedirectUri"] = RedirectUri.AbsoluteUri,
                ["SystemMail:OAuth2:AuthorizationEndpoint"] = oauth2.AuthorizationEndpoint.AbsoluteUri,
                ["SystemMail:OAuth2:TokenEndpoint"] = oauth2.TokenEndpoint.AbsoluteUri,
                ["SystemMail:OAuth2:Scopes:0"] = "smtp.send",
            }).Build();
            ServiceProvider Start() => CreateServices(services =>
            {
                services.AddDataProtection().SetApplicationName("contoso-iot").PersistKeysToFileSystem(keys);
                services.AddHttpClient("SystemMail.OAuth2").ConfigurePrimaryHttpMessageHandler(oauth2.CreateHttpMessageHandler);
                services.AddSystemMail(configuration);
            });

            // "Generate access token" on the first host, which then stops before the provider's callback.
            OAuthAuthorizationRequest request;
            await using (var first = Start())
            {
                request = await first.GetRequiredService<IOAuthTokenService>().CreateAuthorizationUrlAsync(cancellationToken: Ct);
            }

            var consent = await oauth2.AuthorizeAsync(request.Url, Ct);

            // Act: the restarted host completes the authorization; a third start reads the tokens.
            OAuthTokenStatus completed;
            await using (var second = Start())
            {
                completed = await second.GetRequiredService<IOAuthTokenService>().CompleteAuthorizationAsync(consent.Code, consent.State, consent.Error, consent.ErrorDescription, cancellationToken: Ct);
            }

            await using var third = Start();
            var status = await third.GetRequiredService<IOAuthTokenService>().GetStatusAsync(Ct);

            // Assert
            Assert.Equal(OAuthTokenState.Generated, completed.State);
            Assert.Equal(OAuthTokenState.Generated, status.State);
            Assert.Equal(completed.GeneratedAt, status.GeneratedAt);

            // In the table: the tokens, protected (no access token in clear), and no pending authorization left (single use).
            await using var context = await third.GetRequiredService<IDbContextFactory<TestDbContext>>().CreateDbContextAsync(Ct);
            var rows = await context.SystemMailRecords.AsNoTracking().ToListAsync(Ct);
            var tokens = Assert.Single(rows);
            Assert.Equal("tokens", tokens.Key);
            var issued = Assert.Single(oauth2.ValidAccessTokens);
            var raw = Encoding.UTF8.GetString(tokens.Value);
            Assert.DoesNotContain(issued.Value, raw, StringComparison.Ordinal);
            Assert.DoesNotContain(oauth2.Client.ClientSecret, raw, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(oauth2.Client.ClientSecret)), 0, 12), raw, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(oauth2.User.Username, raw, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Fingerprint", raw, StringComparison.Ordinal);
            Assert.DoesNotContain("RefreshToken", raw, StringComparison.Ordinal);
        }
        finally
        {
            keys.Delete(recursive: true);
        }
    }
}
