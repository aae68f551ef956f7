using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace SystemMail.Tests.Configuration;

/// <summary>Credentials on an unencrypted connection go nowhere but this machine, unless the host accepts the risk.</summary>
public sealed class InsecureAuthenticationTests
{
    private static SystemMailOptions Plain(string host, SmtpAuthenticationType authentication = SmtpAuthenticationType.Basic)
    {
        var options = new SystemMailOptions
        {
            From = "Acme <no-reply@acme.test>",
            Provider = "custom",
            Host = host,
            Port = 25,
            Security = SmtpSecurity.None,
            Authentication = authentication,
            Username = "mailer@acme.test",
        };
        if (authentication == SmtpAuthenticationType.Basic)
        {
            options.Password = "Pw-SECRET-90ab";
        }
        else
        {
            options.OAuth2 = new SmtpOAuthOptions
            {
                ClientId = "client",
                ClientSecret = "secret",
                AuthorizationEndpoint = new Uri("https://id.acme.test/authorize"),
                TokenEndpoint = new Uri("https://id.acme.test/token"),
                Scopes = ["smtp.send"],
                RedirectUri = new Uri("https://iot.acme.test/callback"),
            };
        }

        return options;
    }

    [Theory]
    [InlineData("smtp.acme.test")]
    [InlineData("10.0.0.25")]
    [InlineData("localhost.acme.test")]
    [InlineData("my-laptop")]
    public void Validate_NoneWithBasicToAnotherMachine_RefusedNamingSecurity(string host)
    {
        var failure = Assert.Single(OptionsFailures.Of(Plain(host)));

        Assert.Equal("Security", OptionsFailures.Field(failure));
        Assert.Contains("sends the password unencrypted", failure, StringComparison.Ordinal);
        Assert.Contains("AllowInsecureAuthentication", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("Pw-SECRET", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NoneWithOAuth2ToAnotherMachine_RefusedNamingTheToken()
    {
        OptionsFailures.AssertSingle(Plain("smtp.acme.test", SmtpAuthenticationType.OAuth2), "Security", "sends the OAuth2 access token unencrypted");
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.53")]
    [InlineData("localhost")]
    [InlineData("LocalHost")]
    [InlineData("::1")]
    public void Validate_NoneWithBasicOnThisMachine_Accepted(string host)
    {
        Assert.Empty(OptionsFailures.Of(Plain(host)));
    }

    [Fact]
    public void Validate_NoneWithAllowInsecureAuthentication_Accepted()
    {
        var options = Plain("smtp.acme.test");
        options.AllowInsecureAuthentication = true;

        Assert.Empty(OptionsFailures.Of(options));
    }

    [Fact]
    public void Validate_NoneWithoutCredentials_Accepted()
    {
        var options = Plain("smtp.acme.test");
        options.Authentication = SmtpAuthenticationType.None;
        options.Username = null;
        options.Password = null;

        Assert.Empty(OptionsFailures.Of(options));
    }

    [Fact]
    public void Validate_LoopbackHostThroughAProxyElsewhere_Refused()
    {
        var throughProxy = Plain("127.0.0.1");
        throughProxy.Proxy = new SmtpProxyOptions { Type = SmtpProxyType.Socks5, Host = "proxy.acme.test", Port = 1080 };
        var throughLocalProxy = Plain("127.0.0.1");
        throughLocalProxy.Proxy = new SmtpProxyOptions { Type = SmtpProxyType.Socks5, Host = "127.0.0.1", Port = 1080 };

        OptionsFailures.AssertSingle(throughProxy, "Security", "not on this machine");
        Assert.Empty(OptionsFailures.Of(throughLocalProxy));
    }

    [Fact]
    public void Validate_HostTemplateWithoutTls_RefusedNamingTheTemplate()
    {
        var relay = new SmtpProviderTemplate
        {
            Id = "relay",
            DisplayName = "Office relay",
            Host = "relay.acme.test",
            Port = 25,
            Security = SmtpSecurity.None,
            SupportedAuthentication = [SmtpAuthenticationType.Basic],
        };
        var options = new SystemMailOptions { From = "a@acme.test", Provider = "relay", Authentication = SmtpAuthenticationType.Basic, Username = "u", Password = "p" };

        var result = new SystemMailOptionsValidator(new SmtpProviderCatalog([relay])).Validate(Options.DefaultName, options);

        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith("Property Security: None (the Office relay template's) sends the password unencrypted", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_AllowedAndInUse_WarnsOnceAndAgainForAnotherServer()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SystemMail:From"] = "Acme <no-reply@acme.test>",
            ["SystemMail:Host"] = "relay.acme.test",
            ["SystemMail:Port"] = "25",
            ["SystemMail:Security"] = "None",
            ["SystemMail:Authentication"] = "Basic",
            ["SystemMail:Username"] = "mailer",
            ["SystemMail:Password"] = "Pw-SECRET-90ab",
            ["SystemMail:AllowInsecureAuthentication"] = "true",
        });
        var logs = new FakeLogCollector();
        builder.Logging.AddProvider(new FakeLoggerProvider(logs));
        builder.Services.AddSystemMail(builder.Configuration);
        using var host = builder.Build();

        await host.StartAsync(TestContext.Current.CancellationToken);
        var monitor = host.Services.GetRequiredService<IOptionsMonitor<SystemMailOptions>>();
        ((IConfigurationRoot)builder.Configuration).Reload(); // the same settings again: no second warning
        builder.Configuration["SystemMail:Host"] = "relay2.acme.test";
        ((IConfigurationRoot)builder.Configuration).Reload();
        Assert.Equal("relay2.acme.test", monitor.CurrentValue.Host);
        await host.StopAsync(TestContext.Current.CancellationToken);

        var warnings = logs.GetSnapshot().Where(r => r.Id.Id == 1400).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.All(warnings, w => Assert.Equal(LogLevel.Warning, w.Level));
        Assert.Contains("relay.acme.test:25", warnings[0].Message, StringComparison.Ordinal);
        Assert.Contains("relay2.acme.test:25", warnings[1].Message, StringComparison.Ordinal);
        Assert.All(logs.GetSnapshot(), r => Assert.DoesNotContain("Pw-SECRET", r.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartAsync_AllowedButNotInUse_DoesNotWarn()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var logs = new FakeLogCollector();
        builder.Logging.AddProvider(new FakeLoggerProvider(logs));
        builder.Services.AddSystemMail(o =>
        {
            o.From = "Acme <no-reply@acme.test>";
            o.Host = "smtp.acme.test";
            o.Port = 587;
            o.Security = SmtpSecurity.StartTls;
            o.Authentication = SmtpAuthenticationType.Basic;
            o.Username = "mailer";
            o.Password = "pw";
            o.AllowInsecureAuthentication = true;
        });
        using var host = builder.Build();

        await host.StartAsync(TestContext.Current.CancellationToken);
        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Id.Id == 1400);
    }
}
