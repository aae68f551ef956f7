using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SystemMail.Tests.Configuration;

namespace SystemMail.Tests.OAuth2;

/// <summary>The client secret, codes and tokens go through the token and authorization endpoints: https, or this machine.</summary>
public sealed class OAuth2EndpointSecurityTests
{
    private static SystemMailOptions Custom(string authorizationEndpoint, string tokenEndpoint) => new()
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
            AuthorizationEndpoint = new Uri(authorizationEndpoint),
            TokenEndpoint = new Uri(tokenEndpoint),
            Scopes = ["smtp.send"],
            RedirectUri = new Uri("http://iot.acme.test/callback"),
        },
    };

    [Fact]
    public void Validate_HttpTokenEndpointElsewhere_RefusedNamingIt()
    {
        OptionsFailures.AssertSingle(Custom("https://id.acme.test/authorize", "http://id.acme.test/token"), "OAuth2.TokenEndpoint", "must be https");
    }

    [Fact]
    public void Validate_HttpAuthorizationEndpointElsewhere_RefusedNamingIt()
    {
        OptionsFailures.AssertSingle(Custom("http://id.acme.test/authorize", "https://id.acme.test/token"), "OAuth2.AuthorizationEndpoint", "must be https");
    }

    [Theory]
    [InlineData("http://127.0.0.1:5001/authorize", "http://127.0.0.1:5001/token")]
    [InlineData("http://localhost:5001/authorize", "http://localhost:5001/token")]
    [InlineData("http://[::1]:5001/authorize", "http://[::1]:5001/token")]
    [InlineData("https://id.acme.test/authorize", "https://id.acme.test/token")]
    public void Validate_HttpsOrThisMachine_Accepted(string authorizationEndpoint, string tokenEndpoint)
    {
        Assert.Empty(OptionsFailures.Of(Custom(authorizationEndpoint, tokenEndpoint)));
    }

    [Fact]
    public async Task StartAsync_HostTemplateWithHttpTokenEndpoint_FailsNamingTheTemplate()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSystemMail(o =>
        {
            // Another provider is chosen: the template is refused all the same, before an administrator picks it.
            o.From = "Acme <no-reply@acme.test>";
            o.Host = "smtp.acme.test";
            o.Port = 587;
        }).AddProviderTemplate(new SmtpProviderTemplate
        {
            Id = "acme-id",
            DisplayName = "Acme ID",
            Host = "smtp.acme.test",
            Port = 587,
            Security = SmtpSecurity.StartTls,
            SupportedAuthentication = [SmtpAuthenticationType.OAuth2],
            OAuth2 = new SmtpOAuthMetadata
            {
                AuthorizationEndpoint = "https://id.acme.test/{tenant}/authorize",
                TokenEndpoint = "http://id.acme.test/{tenant}/token",
                Scopes = ["smtp.send"],
            },
        });
        using var host = builder.Build();

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        var failure = Assert.Single(exception.Failures);
        Assert.StartsWith("Property Provider: the template 'acme-id' (Acme ID) has an OAuth2 token endpoint that is not an absolute https URL", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BuiltInTemplates_HaveHttpsEndpoints()
    {
        var options = new SystemMailOptions { From = "a@acme.test", Host = "smtp.acme.test", Port = 587 };

        Assert.Empty(OptionsFailures.Of(options));
        Assert.All(SmtpProviderTemplates.BuiltIn.Where(t => t.OAuth2 is not null), t =>
        {
            Assert.StartsWith("https://", t.OAuth2!.TokenEndpoint, StringComparison.Ordinal);
            Assert.StartsWith("https://", t.OAuth2.AuthorizationEndpoint, StringComparison.Ordinal);
        });
    }
}
