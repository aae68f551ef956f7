namespace SystemMail.Tests.OAuth2;

public sealed class OAuthSettingsTests
{
    private static SystemMailOptions Office365(Action<SystemMailOptions>? change = null)
    {
        var options = new SystemMailOptions
        {
            From = "alerts@contoso.com",
            Provider = "office365",
            Authentication = SmtpAuthenticationType.OAuth2,
            Username = "alerts@contoso.com",
            OAuth2 = new SmtpOAuthOptions
            {
                ClientId = "client-1",
                ClientSecret = "secret-1",
                TenantId = "contoso.onmicrosoft.com",
                RedirectUri = new Uri("https://iot.contoso.com/callback"),
            },
        };
        change?.Invoke(options);
        return options;
    }

    private static OAuthSettings Settings(SystemMailOptions options) =>
        SmtpSettings.Create(options, new SmtpProviderCatalog([])).OAuth2!;

    [Fact]
    public void Create_Office365_FillsTenantIntoEndpoints()
    {
        var settings = Settings(Office365());

        Assert.Equal("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize", settings.AuthorizationEndpoint!.AbsoluteUri);
        Assert.Equal("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token", settings.TokenEndpoint.AbsoluteUri);
        Assert.Equal(["https://outlook.office365.com/SMTP.Send", "offline_access"], settings.Scopes);
        Assert.Equal(OAuthClientType.Microsoft, settings.ClientType);
    }

    [Fact]
    public void Create_ClientCredentials_UsesDefaultScope()
    {
        var settings = Settings(Office365(o => o.OAuth2.Flow = OAuthFlow.ClientCredentials));

        Assert.Equal(["https://outlook.office365.com/.default"], settings.Scopes);
    }

    [Theory]
    [InlineData("client ID")]
    [InlineData("client secret")]
    [InlineData("tenant")]
    [InlineData("username")]
    [InlineData("redirect URI")]
    [InlineData("provider")]
    public void ChangesSince_OnePieceChanged_NamesOnlyThatPiece(string piece)
    {
        var before = Settings(Office365());
        var after = Settings(Office365(o =>
        {
            switch (piece)
            {
                case "client ID": o.OAuth2.ClientId = "client-2"; break;
                case "client secret": o.OAuth2.ClientSecret = "secret-2"; break;
                case "tenant": o.OAuth2.TenantId = "fabrikam.onmicrosoft.com"; break;
                case "username": o.Username = "other@contoso.com"; break;
                case "redirect URI": o.OAuth2.RedirectUri = new Uri("https://iot.contoso.com/other"); break;
                case "provider":
                    o.Provider = "custom";
                    o.Host = "smtp.office365.com";
                    o.Port = 587;
                    o.OAuth2.AuthorizationEndpoint = new Uri("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize");
                    o.OAuth2.TokenEndpoint = new Uri("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token");
                    o.OAuth2.Scopes = ["https://outlook.office365.com/SMTP.Send", "offline_access"];
                    break;
            }
        }));

        var changes = after.ChangesSince(before.Fingerprint);

        Assert.Contains(piece, changes);
        switch (piece)
        {
            case "provider":
                break;
            case "tenant":
                // The tenant is part of the endpoint URLs.
                Assert.Equal(["endpoints", "tenant"], changes);
                break;
            default:
                Assert.Single(changes);
                break;
        }
    }

    [Fact]
    public void ChangesSince_SameSettings_NamesNothing()
    {
        Assert.Empty(Settings(Office365()).ChangesSince(Settings(Office365()).Fingerprint));
    }

    [Fact]
    public void Fingerprint_NeverContainsTheSecret()
    {
        var settings = Settings(Office365(o => o.OAuth2.ClientSecret = "Cs-unique-4471"));

        Assert.DoesNotContain(settings.Fingerprint.Values, v => v.Contains("Cs-unique-4471", StringComparison.Ordinal));
    }
}
