namespace SystemMail.Tests.Secrets;

/// <summary>The one rule for where a secret may go: every part named, one comparison for all.</summary>
public sealed class SmtpDestinationTests
{
    private static readonly SmtpProviderCatalog Catalog = new([]);

    public static TheoryData<string, Action<SystemMailOptions>> EachPart => new()
    {
        { "provider", o => o.Provider = "office365" },
        { "host", o => o.Host = "smtp.elsewhere.test" },
        { "port", o => o.Port = 2525 },
        { "security", o => o.Security = SmtpSecurity.SslOnConnect },
        { "proxy", o => o.Proxy!.Type = SmtpProxyType.Http },
        { "proxy", o => o.Proxy!.Host = "proxy2.acme.test" },
        { "proxy", o => o.Proxy!.Port = 1081 },
        { "proxy", o => o.Proxy!.Username = "relay2" },
        { "proxy", o => o.Proxy = null },
        { "username", o => o.Username = "other@acme.test" },
        { "authentication", o => o.Authentication = SmtpAuthenticationType.Basic },
        { "flow", o => o.OAuth2.Flow = OAuthFlow.ClientCredentials },
        { "client ID", o => o.OAuth2.ClientId = "client-2" },
        { "tenant", o => o.OAuth2.TenantId = "fabrikam" },
        { "endpoints", o => o.OAuth2.AuthorizationEndpoint = new Uri("https://login.acme.test/other/authorize") },
        { "endpoints", o => o.OAuth2.TokenEndpoint = new Uri("https://login.acme.test/other/token") },
        { "scopes", o => o.OAuth2.Scopes = ["smtp.send"] },
        { "redirect URI", o => o.OAuth2.RedirectUri = new Uri("https://portal.acme.test/other") },
    };

    [Theory]
    [MemberData(nameof(EachPart))]
    public void Differences_OnePartChanged_NamesThatPartAndIsNotEqual(string part, Action<SystemMailOptions> change)
    {
        var before = Destination(Custom());
        var after = Destination(Custom(change));

        Assert.NotEqual(before, after);
        Assert.Contains(part, after.Differences(before));
        Assert.NotEmpty(after.ChangesSince(before.Fingerprint()));
    }

    [Fact]
    public void Equals_NamesDifferingOnlyInCaseAndSpaces_AreTheSameDestination()
    {
        var before = Destination(Custom());
        var after = Destination(Custom(o =>
        {
            o.Provider = " CUSTOM ";
            o.Host = " SMTP.Acme.Test ";
            o.Username = "Alerts@Acme.Test";
            o.Proxy!.Host = "PROXY.acme.test";
            o.Proxy.Username = "RELAY";
            o.OAuth2.ClientId = " Client-1 ";
            o.OAuth2.TenantId = "CONTOSO";
            o.OAuth2.Scopes = ["offline_access", "smtp.send"];
        }));

        Assert.Equal(before, after);
        Assert.Equal(before.GetHashCode(), after.GetHashCode());
        Assert.Empty(after.Differences(before));
        Assert.Empty(after.ChangesSince(before.Fingerprint()));
    }

    [Fact]
    public void Equals_SettingsThatDoNotChangeWhereMailGoes_AreTheSameDestination()
    {
        var before = Destination(Custom());
        var after = Destination(Custom(o =>
        {
            o.From = "Other <other@acme.test>";
            o.Timeout = TimeSpan.FromSeconds(5);
            o.PoolSize = 7;
            o.Password = "another password";
            o.OAuth2.ClientSecret = "another secret";
            o.Proxy!.Password = "another proxy password";
        }));

        Assert.Equal(before, after);
    }

    [Fact]
    public void Of_TemplateOwnsTheServer_UsesTheTemplatesHostPortAndSecurity()
    {
        var google = Destination(new SystemMailOptions { Provider = "google", Host = "ignored.test", Port = 25, Authentication = SmtpAuthenticationType.Basic, Username = "a@gmail.com" });

        Assert.Equal("smtp.gmail.com", google.Host);
        Assert.Equal(465, google.Port);
        Assert.Equal(SmtpSecurity.SslOnConnect, google.Security);
    }

    [Fact]
    public void Of_UnknownProvider_IsNull()
    {
        Assert.Null(SmtpDestination.Of(new SystemMailOptions { Provider = "gmial" }, Catalog));
    }

    [Fact]
    public void Fingerprint_NeverHoldsAValue()
    {
        var fingerprint = Destination(Custom()).Fingerprint();

        Assert.DoesNotContain(fingerprint.Values, v => v.Contains("acme", StringComparison.OrdinalIgnoreCase) || v.Contains("client-1", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [MemberData(nameof(EachPart))]
    public void TokenChanges_OnePartChanged_NamesIt(string part, Action<SystemMailOptions> change)
    {
        Assert.Contains(part, OAuthSettings.TokenChanges(Custom(), Custom(change), Catalog));
    }

    [Fact]
    public void TokenChanges_ClientSecretChanged_NamesIt()
    {
        Assert.Equal(["client secret"], OAuthSettings.TokenChanges(Custom(), Custom(o => o.OAuth2.ClientSecret = "secret-2"), Catalog));
    }

    [Fact]
    public void TokenChanges_NothingChangedOrBasicBefore_NamesNothing()
    {
        Assert.Empty(OAuthSettings.TokenChanges(Custom(), Custom(o => o.From = "x@acme.test"), Catalog));
        Assert.Empty(OAuthSettings.TokenChanges(Custom(o => o.Authentication = SmtpAuthenticationType.Basic), Custom(), Catalog));
    }

    [Fact]
    public void ToString_NamesServerWithoutUserOrSecret()
    {
        var text = Destination(Custom(o => o.Password = "pw-3f1c")).ToString();

        Assert.Equal("custom smtp.acme.test:587 (StartTls)", text);
    }

    private static SmtpDestination Destination(SystemMailOptions options) => SmtpDestination.Of(options, Catalog)!;

    private static SystemMailOptions Custom(Action<SystemMailOptions>? change = null)
    {
        var options = new SystemMailOptions
        {
            From = "Acme <alerts@acme.test>",
            Provider = "custom",
            Host = "smtp.acme.test",
            Port = 587,
            Security = SmtpSecurity.StartTls,
            Authentication = SmtpAuthenticationType.OAuth2,
            Username = "alerts@acme.test",
            Proxy = new SmtpProxyOptions { Type = SmtpProxyType.Socks5, Host = "proxy.acme.test", Port = 1080, Username = "relay", Password = "proxy-pw" },
            OAuth2 = new SmtpOAuthOptions
            {
                ClientId = "client-1",
                ClientSecret = "secret-1",
                TenantId = "contoso",
                AuthorizationEndpoint = new Uri("https://login.acme.test/authorize"),
                TokenEndpoint = new Uri("https://login.acme.test/token"),
                Scopes = ["smtp.send", "offline_access"],
                RedirectUri = new Uri("https://portal.acme.test/callback"),
            },
        };
        change?.Invoke(options);
        return options;
    }
}
