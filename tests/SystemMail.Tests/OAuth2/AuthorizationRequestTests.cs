using Microsoft.Extensions.DependencyInjection;

namespace SystemMail.Tests.OAuth2;

/// <summary>
/// The query of the authorization request, as the tests' authorization server received it: <c>login_hint</c> where the
/// provider takes it, Google's offline access only for Google, the host's extra parameters.
/// </summary>
public sealed class AuthorizationRequestTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(OAuth2Flavor.Google, true, true)]
    [InlineData(OAuth2Flavor.Office365, true, false)]
    [InlineData(OAuth2Flavor.Custom, false, false)]
    public async Task CreateAuthorizationUrlAsync_ByProvider_LoginHintAndOfflineAccessOnlyWhereTheyBelong(OAuth2Flavor flavor, bool loginHint, bool offline)
    {
        await using var mail = await OAuth2Mail.StartAsync(flavor, cancellationToken: Ct);

        var query = await AuthorizeAsync(mail);

        Assert.Equal(loginHint, query.TryGetValue("login_hint", out var hint));
        if (loginHint)
        {
            Assert.Equal(mail.Mailbox, hint);
        }

        Assert.Equal(offline, query.ContainsKey("access_type"));
        Assert.Equal(offline, query.ContainsKey("prompt"));
        if (offline)
        {
            Assert.Equal("offline", query["access_type"]);
            Assert.Equal("consent", query["prompt"]);
        }
    }

    [Fact]
    public async Task CreateAuthorizationUrlAsync_CustomWithLoginHintAndExtraParameters_SendsThem()
    {
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Custom, cancellationToken: Ct);
        mail.Change("OAuth2:SendLoginHint", "true");
        mail.Change("OAuth2:AuthorizationParameters:audience", "smtp.acme.test");
        mail.Change("OAuth2:AuthorizationParameters:prompt", "select_account");

        var query = await AuthorizeAsync(mail);

        Assert.Equal(mail.Mailbox, query["login_hint"]);
        Assert.Equal("smtp.acme.test", query["audience"]);
        Assert.Equal("select_account", query["prompt"]);
        Assert.False(query.ContainsKey("access_type"));
        Assert.Equal("smtp.send", query["scope"]);
    }

    [Fact]
    public async Task CreateAuthorizationUrlAsync_GoogleWithHostedDomain_AddsItToTheTemplatesParameters()
    {
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Google, cancellationToken: Ct);
        mail.Change("OAuth2:AuthorizationParameters:hd", "contoso.test");

        var query = await AuthorizeAsync(mail);

        Assert.Equal("contoso.test", query["hd"]);
        Assert.Equal("offline", query["access_type"]);
        Assert.Equal(mail.Mailbox, query["login_hint"]);
    }

    private static async Task<IReadOnlyDictionary<string, string>> AuthorizeAsync(OAuth2Mail mail)
    {
        var request = await mail.CreateInstance().GetRequiredService<IOAuthTokenService>().CreateAuthorizationUrlAsync(cancellationToken: Ct);
        await mail.Authorization.AuthorizeAsync(request.Url, Ct);
        return mail.Authorization.LastAuthorizeRequest!.Parameters;
    }
}
