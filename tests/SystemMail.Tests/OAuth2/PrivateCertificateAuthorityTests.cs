using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using SystemMail.Tests.Infrastructure.OAuth2;

namespace SystemMail.Tests.OAuth2;

/// <summary>A token endpoint whose certificate a private certificate authority issued, trusted through <c>ConfigureOAuthHttpHandler</c>.</summary>
public sealed class PrivateCertificateAuthorityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetAccessTokenAsync_PrivateAuthorityTrustedThroughTheBuilder_GetsTheToken()
    {
        // Arrange
        var (authority, certificate) = LoopbackCertificate.CreateWithPrivateAuthority();
        using var trusted = authority;
        await using var mail = await StartClientCredentialsAsync(certificate);
        var instance = mail.CreateInstance(pinCertificate: false, systemMail: builder => builder.ConfigureOAuthHttpHandler(handler =>
            handler.SslOptions.CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                CustomTrustStore = { trusted },
                RevocationMode = X509RevocationMode.NoCheck,
            }));

        // Act
        var token = await FetchAccessTokenAsync(instance);

        // Assert
        Assert.True(mail.Authorization.IsAccessTokenValid(token));
        Assert.Equal(1, mail.Authorization.GetTokenRequestCount("client_credentials"));
    }

    [Fact]
    public async Task GetAccessTokenAsync_PrivateAuthorityNotTrusted_FailsBeforeTheRequest()
    {
        var (authority, certificate) = LoopbackCertificate.CreateWithPrivateAuthority();
        authority.Dispose();
        await using var mail = await StartClientCredentialsAsync(certificate);
        var instance = mail.CreateInstance(pinCertificate: false);

        var ex = await Assert.ThrowsAsync<SystemMailException>(() => FetchAccessTokenAsync(instance));

        Assert.Equal("TokenEndpointUnavailable", ex.HintId);
        Assert.Equal(0, mail.Authorization.TokenRequests);
    }

    private static async Task<OAuth2Mail> StartClientCredentialsAsync(X509Certificate2 certificate)
    {
        var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Custom, new OAuth2TestServerOptions { Certificate = certificate }, Ct);
        mail.Change("OAuth2:Flow", "ClientCredentials");
        mail.Change("OAuth2:RedirectUri", null);
        mail.Change("OAuth2:AuthorizationEndpoint", null);
        return mail;
    }

    private static Task<string> FetchAccessTokenAsync(IServiceProvider instance)
    {
        var settings = instance.GetRequiredService<SmtpSettingsSource>().Current;
        return instance.GetRequiredService<OAuthTokenManager>().GetAccessTokenAsync(settings.OAuth2!, rejectedAccessToken: null, Ct);
    }
}
