using SystemMail.Tests.Configuration;

namespace SystemMail.Tests.OAuth2;

public sealed class OAuth2OptionsValidationTests
{
    private static SystemMailOptions Office365() => new()
    {
        From = "alerts@contoso.com",
        Provider = "office365",
        Authentication = SmtpAuthenticationType.OAuth2,
        Username = "alerts@contoso.com",
        OAuth2 = new SmtpOAuthOptions
        {
            ClientId = "11111111-2222-3333-4444-555555555555",
            ClientSecret = "secret",
            TenantId = "contoso.onmicrosoft.com",
            RedirectUri = new Uri("https://iot.contoso.com/admin/mail/oauth2/callback"),
        },
    };

    private static SystemMailOptions Custom() => new()
    {
        From = "alerts@acme.test",
        Provider = "custom",
        Host = "smtp.acme.test",
        Port = 587,
        Authentication = SmtpAuthenticationType.OAuth2,
        Username = "alerts@acme.test",
        OAuth2 = new SmtpOAuthOptions
        {
            ClientId = "client",
            ClientSecret = "secret",
            AuthorizationEndpoint = new Uri("https://id.acme.test/authorize"),
            TokenEndpoint = new Uri("https://id.acme.test/token"),
            Scopes = ["smtp.send"],
            RedirectUri = new Uri("https://iot.acme.test/callback"),
        },
    };

    private static IReadOnlyList<string> Failures(SystemMailOptions options) => OptionsFailures.Of(options);

    private static void AssertSingleFailure(SystemMailOptions options, string property, string fragment) =>
        OptionsFailures.AssertSingle(options, property, fragment);

    [Fact]
    public void Validate_ValidOffice365AndCustom_Succeed()
    {
        Assert.Empty(Failures(Office365()));
        Assert.Empty(Failures(Custom()));
    }

    [Theory]
    [InlineData("state")]
    [InlineData("client_id")]
    [InlineData("Redirect_Uri")]
    [InlineData("response_type")]
    [InlineData("code_challenge")]
    [InlineData("scope")]
    public void Validate_AuthorizationParameterOverridingTheProtocol_NamesAuthorizationParameters(string name)
    {
        var options = Custom();
        options.OAuth2.AuthorizationParameters[name] = "attacker";

        AssertSingleFailure(options, "OAuth2.AuthorizationParameters", "set by SystemMail");
    }

    [Fact]
    public void Validate_ExtraAuthorizationParameters_Succeed()
    {
        var options = Custom();
        options.OAuth2.AuthorizationParameters["audience"] = "smtp";
        options.OAuth2.AuthorizationParameters["prompt"] = "select_account";

        Assert.Empty(Failures(options));
    }

    [Fact]
    public void Validate_MissingClientId_NamesClientId()
    {
        var options = Office365();
        options.OAuth2.ClientId = " ";

        AssertSingleFailure(options, "OAuth2.ClientId", "is required");
    }

    [Fact]
    public void Validate_MissingClientSecret_NamesClientSecret()
    {
        var options = Office365();
        options.OAuth2.ClientSecret = null;

        AssertSingleFailure(options, "OAuth2.ClientSecret", "is required");
    }

    [Fact]
    public void Validate_Office365WithoutTenant_NamesTenantId()
    {
        var options = Office365();
        options.OAuth2.TenantId = null;

        AssertSingleFailure(options, "OAuth2.TenantId", "directory (tenant) id");
    }

    [Fact]
    public void Validate_TenantWithSlash_NamesTenantId()
    {
        var options = Office365();
        options.OAuth2.TenantId = "contoso/evil";

        AssertSingleFailure(options, "OAuth2.TenantId", "without slashes");
    }

    [Fact]
    public void Validate_EndpointSetWithTemplate_TellsToChooseCustom()
    {
        var options = Office365();
        options.OAuth2.TokenEndpoint = new Uri("https://id.other.test/token");

        AssertSingleFailure(options, "OAuth2.TokenEndpoint", "choose Provider 'custom'");
    }

    [Fact]
    public void Validate_ScopesSetWithTemplate_TellsToChooseCustom()
    {
        var options = Office365();
        options.OAuth2.Scopes = ["Mail.Send"];

        AssertSingleFailure(options, "OAuth2.Scopes", "choose Provider 'custom'");
    }

    [Fact]
    public void Validate_AuthorizationCodeWithoutRedirectUri_NamesRedirectUri()
    {
        var options = Office365();
        options.OAuth2.RedirectUri = null;

        AssertSingleFailure(options, "OAuth2.RedirectUri", "callback");
    }

    [Fact]
    public void Validate_ClientCredentialsWithoutRedirectUri_Succeeds()
    {
        var options = Office365();
        options.OAuth2.Flow = OAuthFlow.ClientCredentials;
        options.OAuth2.RedirectUri = null;

        Assert.Empty(Failures(options));
    }

    [Fact]
    public void Validate_GoogleClientCredentials_SaysNotSupported()
    {
        var options = new SystemMailOptions
        {
            From = "a@gmail.com",
            Provider = "google",
            Authentication = SmtpAuthenticationType.OAuth2,
            Username = "a@gmail.com",
            OAuth2 = new SmtpOAuthOptions { Flow = OAuthFlow.ClientCredentials, ClientId = "id", ClientSecret = "s" },
        };

        AssertSingleFailure(options, "OAuth2.Flow", "not supported");
    }

    [Fact]
    public void Validate_CustomWithoutEndpointsAndScopes_NamesEach()
    {
        var options = Custom();
        options.OAuth2.AuthorizationEndpoint = null;
        options.OAuth2.TokenEndpoint = new Uri("ftp://id.acme.test/token");
        options.OAuth2.Scopes = [];

        var failures = Failures(options);

        Assert.Equal(3, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("Property OAuth2.AuthorizationEndpoint:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Property OAuth2.TokenEndpoint:", StringComparison.Ordinal) && f.Contains("absolute http", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Property OAuth2.Scopes:", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_RefreshMarginTooLarge_NamesRefreshMargin()
    {
        var options = Office365();
        options.OAuth2.RefreshMargin = TimeSpan.FromHours(2);

        AssertSingleFailure(options, "OAuth2.RefreshMargin", "and 00:30:00");
    }

    [Fact]
    public void ToString_WithClientSecret_ShowsOnlyWhetherSet()
    {
        var options = Office365();
        options.OAuth2.ClientSecret = "Cs-91b2e0";

        Assert.DoesNotContain("Cs-91b2e0", options.ToString(), StringComparison.Ordinal);
        Assert.Contains("ClientSecret = set", options.ToString(), StringComparison.Ordinal);
    }
}
