using Microsoft.Extensions.DependencyInjection;
using SystemMail.Tests.Infrastructure.Graph;
using SystemMail.Tests.Infrastructure.OAuth2;

namespace SystemMail.Tests.Graph;

/// <summary>Graph with "Generate access token" (delegated Mail.Send), and the destination rule for the Graph base URL.</summary>
public sealed class GraphDelegatedTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GenerateAccessToken_ThenSend_GraphReceivesTheMailWithTheDelegatedToken()
    {
        // Arrange
        await using var mail = await GraphMail.StartAsync(OAuthFlow.AuthorizationCode, cancellationToken: Ct);
        var instance = mail.CreateInstance();

        // Act
        var status = await mail.GenerateAccessTokenAsync(instance, Ct);
        var sent = await GraphTransportTests.SendAsync(instance.GetRequiredService<ISystemMailer>(), SystemMailKind.Activation, "user@contoso.test");

        // Assert
        Assert.Equal(OAuthTokenState.Generated, status.State);
        var authorize = mail.Authorization.LastAuthorizeRequest!.Parameters;
        Assert.Equal(["https://graph.microsoft.com/Mail.Send", "offline_access", "openid", "profile"], authorize["scope"].Split(' ').Order(StringComparer.Ordinal));
        var received = Assert.Single(mail.Graph.Mails);
        Assert.Equal(sent.MessageId, received.Parse().MessageId);
        Assert.Contains(GraphTestServer.DelegatedScope, received.Scope, StringComparison.Ordinal);
        Assert.Equal(1, mail.Authorization.GetTokenRequestCount(OAuth2GrantTypes.AuthorizationCode));
        Assert.Equal(0, mail.Authorization.GetTokenRequestCount(OAuth2GrantTypes.ClientCredentials));
    }

    [Fact]
    public async Task SendAsync_GraphBaseUrlChangedAfterConsent_SecondEndpointReceivesNothingAndTokensMustBeGenerated()
    {
        // Arrange: tokens generated for the first Graph endpoint; a second one the host also trusts.
        await using var mail = await GraphMail.StartAsync(OAuthFlow.AuthorizationCode, cancellationToken: Ct);
        var instance = mail.CreateInstance();
        await mail.GenerateAccessTokenAsync(instance, Ct);
        var mailer = instance.GetRequiredService<ISystemMailer>();
        await GraphTransportTests.SendAsync(mailer, SystemMailKind.Test, "before@contoso.test");
        var second = await mail.StartSecondGraphAsync(Ct);

        // Act
        mail.Change("GraphBaseUrl", second.BaseUri.AbsoluteUri);
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => GraphTransportTests.SendAsync(mailer, SystemMailKind.Test, "after@contoso.test"));

        // Assert
        Assert.Equal(SystemMailErrorKind.Authentication, ex.Kind);
        Assert.Equal(nameof(Hints.GenerateAccessToken), ex.HintId);
        Assert.Equal(0, second.Requests);
        Assert.Single(mail.Graph.Mails);
        var status = await instance.GetRequiredService<IOAuthTokenService>().GetStatusAsync(Ct);
        Assert.Equal(OAuthTokenState.NotGenerated, status.State);
        Assert.Contains("Graph base URL", status.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_ClientCredentialsAfterGraphBaseUrlChange_OldTokenNeverReachesTheSecondEndpoint()
    {
        // Arrange
        await using var mail = await GraphMail.StartAsync(cancellationToken: Ct);
        var mailer = mail.CreateInstance().GetRequiredService<ISystemMailer>();
        await GraphTransportTests.SendAsync(mailer, SystemMailKind.Test, "before@contoso.test");
        var first = Assert.Single(mail.Graph.Mails).AccessToken;
        var second = await mail.StartSecondGraphAsync(Ct);

        // Act
        mail.Change("GraphBaseUrl", second.BaseUri.AbsoluteUri);
        await GraphTransportTests.SendAsync(mailer, SystemMailKind.Test, "after@contoso.test");

        // Assert: the token for the first endpoint was discarded; the second got one requested for it.
        var received = Assert.Single(second.Mails);
        Assert.NotEqual(first, received.AccessToken);
        Assert.Equal(2, mail.Authorization.TokenRequests);
    }
}
