namespace SystemMail.Tests.Graph;

/// <summary>The rules of the Graph transport's settings: where the token goes, and what does not apply to it.</summary>
public sealed class GraphOptionsValidationTests
{
    private static SystemMailOptions Graph(Action<SystemMailOptions>? change = null)
    {
        var options = new SystemMailOptions
        {
            From = "alerts@contoso.com",
            Provider = SmtpProviderTemplates.Office365GraphId,
            Authentication = SmtpAuthenticationType.OAuth2,
            Username = "alerts@contoso.com",
            OAuth2 = new SmtpOAuthOptions { Flow = OAuthFlow.ClientCredentials, ClientId = "app", ClientSecret = "s3cret", TenantId = "contoso.onmicrosoft.com" },
        };
        change?.Invoke(options);
        return options;
    }

    private static IEnumerable<string> Failures(SystemMailOptions options) =>
        new SystemMailOptionsValidator(new SmtpProviderCatalog([])).Validate(null, options).Failures ?? [];

    [Theory]
    [InlineData(null)]
    [InlineData("https://graph.microsoft.us")]
    [InlineData("https://graph.microsoft.com/")]
    [InlineData("http://localhost:5000/")]
    [InlineData("http://127.0.0.1:5000")]
    public void Validate_GraphBaseUrl_Accepted(string? url)
    {
        Assert.Empty(Failures(Graph(o => o.GraphBaseUrl = url is null ? null : new Uri(url))));
    }

    [Theory]
    [InlineData("http://graph.microsoft.com/")]
    [InlineData("https://user:secret-7f3a@graph.microsoft.com/")]
    [InlineData("https://graph.microsoft.com/v1.0")]
    [InlineData("https://graph.microsoft.com/?x=1")]
    [InlineData("ftp://graph.microsoft.com/")]
    public void Validate_GraphBaseUrl_RefusedNamingTheSettingWithoutEchoingIt(string url)
    {
        var failure = Assert.Single(Failures(Graph(o => o.GraphBaseUrl = new Uri(url))));
        Assert.Contains("GraphBaseUrl", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-7f3a", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_GraphWithSmtpProxyOrBasic_NamesEach()
    {
        var failures = Failures(Graph(o =>
        {
            o.Proxy = new SmtpProxyOptions { Host = "proxy.contoso.com", Port = 1080 };
        })).ToList();
        var basic = Failures(Graph(o =>
        {
            o.Authentication = SmtpAuthenticationType.Basic;
            o.Password = "p";
        })).ToList();

        Assert.Contains(failures, f => f.Contains("Proxy.Host", StringComparison.Ordinal) && f.Contains("SystemMail.Graph", StringComparison.Ordinal));
        Assert.Contains(basic, f => f.Contains("Authentication", StringComparison.Ordinal));
    }

    [Fact]
    public void Destination_GraphBaseUrlChanged_NamesTheGraphBaseUrlPart()
    {
        var catalog = new SmtpProviderCatalog([]);
        var before = SmtpDestination.Of(Graph(), catalog)!;
        var after = SmtpDestination.Of(Graph(o => o.GraphBaseUrl = new Uri("https://graph.microsoft.us")), catalog)!;

        Assert.Equal(["Graph base URL", "host"], after.Differences(before).Order(StringComparer.Ordinal));
        Assert.Equal(MailTransport.MicrosoftGraph, after.Transport);
        Assert.Equal("graph.microsoft.us", after.Host);
        Assert.Equal(443, after.Port);
    }
}
