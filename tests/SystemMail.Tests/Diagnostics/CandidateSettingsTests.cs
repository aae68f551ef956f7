namespace SystemMail.Tests.Diagnostics;

/// <summary>Which stored secrets unsaved settings may reuse: only where they go to the place they were saved for.</summary>
public sealed class CandidateSettingsTests
{
    private static readonly SmtpProviderCatalog Catalog = new([]);

    [Fact]
    public void Create_BuiltInTemplateWithBlankPassword_ReusesItForTheSameUser()
    {
        // Arrange
        var saved = Google(o => o.Password = "app-password");
        var form = Google(o => o.Password = null);

        // Act
        var candidate = CandidateSettings.Create(form, saved, Catalog);

        // Assert
        Assert.Equal("app-password", candidate.Options.Password);
        Assert.Equal(["Password"], candidate.StoredSecretsUsed);
        Assert.Null(form.Password);
        Assert.NotSame(form, candidate.Options);
    }

    [Fact]
    public void Create_ProviderChanged_DoesNotReuseThePassword()
    {
        // Arrange: the same user name at another provider.
        var saved = Google(o => o.Password = "app-password");
        var form = Google(o =>
        {
            o.Provider = SmtpProviderTemplates.Office365Id;
            o.Password = null;
        });

        // Act
        var candidate = CandidateSettings.Create(form, saved, Catalog);

        // Assert
        Assert.Null(candidate.Options.Password);
        Assert.Equal(["Password"], candidate.StoredSecretsNotReused);
    }

    [Fact]
    public void Create_AuthenticationNone_LeavesThePasswordAlone()
    {
        // Arrange
        var saved = Google(o => o.Password = "app-password");
        var form = Google(o =>
        {
            o.Authentication = SmtpAuthenticationType.None;
            o.Password = null;
        });

        // Act
        var candidate = CandidateSettings.Create(form, saved, Catalog);

        // Assert
        Assert.Null(candidate.Options.Password);
        Assert.Empty(candidate.StoredSecretsUsed);
        Assert.Empty(candidate.StoredSecretsNotReused);
    }

    [Theory]
    [InlineData("proxy.example.com", 1080, "proxy-user", true)]
    [InlineData("PROXY.example.com", 1080, "proxy-user", true)]
    [InlineData("other-proxy.example.com", 1080, "proxy-user", false)]
    [InlineData("proxy.example.com", 3128, "proxy-user", false)]
    [InlineData("proxy.example.com", 1080, "someone-else", false)]
    public void Create_BlankProxyPassword_ReusedOnlyForTheSameProxyAndUser(string host, int port, string username, bool reused)
    {
        // Arrange
        var saved = Google(o => o.Proxy = new SmtpProxyOptions { Host = "proxy.example.com", Port = 1080, Username = "proxy-user", Password = "proxy-secret" });
        var form = Google(o => o.Proxy = new SmtpProxyOptions { Host = host, Port = port, Username = username });

        // Act
        var candidate = CandidateSettings.Create(form, saved, Catalog);

        // Assert
        Assert.Equal(reused ? "proxy-secret" : null, candidate.Options.Proxy?.Password);
        Assert.Equal(reused, candidate.StoredSecretsUsed.Contains("Proxy.Password"));
        Assert.Equal(!reused, candidate.StoredSecretsNotReused.Contains("Proxy.Password"));
        Assert.Null(form.Proxy!.Password);
    }

    [Theory]
    [InlineData("client-id", "tenant-a", true)]
    [InlineData("another-client", "tenant-a", false)]
    [InlineData("client-id", "tenant-b", false)]
    public void Create_BlankClientSecret_ReusedOnlyForTheSameClient(string clientId, string tenant, bool reused)
    {
        // Arrange
        var saved = Office365OAuth2("client-id", "tenant-a", "client-secret");
        var form = Office365OAuth2(clientId, tenant, clientSecret: null);

        // Act
        var candidate = CandidateSettings.Create(form, saved, Catalog);

        // Assert
        Assert.Equal(reused ? "client-secret" : null, candidate.Options.OAuth2.ClientSecret);
        Assert.Equal(reused, candidate.StoredSecretsUsed.Contains("OAuth2.ClientSecret"));
        Assert.Null(form.OAuth2.ClientSecret);
    }

    [Fact]
    public void Create_CodeOnlySettings_ComeFromTheSavedSettingsUnlessGiven()
    {
        // Arrange
        System.Net.Security.RemoteCertificateValidationCallback pin = (_, _, _, _) => true;
        var saved = Google(o =>
        {
            o.ServerCertificateValidationCallback = pin;
            o.LocalDomain = "app.example.com";
        });
        var form = Google(o => o.LocalDomain = null);

        // Act
        var candidate = CandidateSettings.Create(form, saved, Catalog);

        // Assert
        Assert.Same(pin, candidate.Options.ServerCertificateValidationCallback);
        Assert.Equal("app.example.com", candidate.Options.LocalDomain);
    }

    private static SystemMailOptions Google(Action<SystemMailOptions> change)
    {
        var options = new SystemMailOptions
        {
            From = "no-reply@example.com",
            Provider = SmtpProviderTemplates.GoogleId,
            Authentication = SmtpAuthenticationType.Basic,
            Username = "admin@example.com",
            Password = "app-password",
        };
        change(options);
        return options;
    }

    private static SystemMailOptions Office365OAuth2(string clientId, string tenant, string? clientSecret) => new()
    {
        From = "no-reply@example.com",
        Provider = SmtpProviderTemplates.Office365Id,
        Authentication = SmtpAuthenticationType.OAuth2,
        Username = "admin@example.com",
        OAuth2 = new SmtpOAuth2Options { ClientId = clientId, TenantId = tenant, ClientSecret = clientSecret, RedirectUri = new Uri("https://app.example.com/oauth2/callback") },
    };
}
