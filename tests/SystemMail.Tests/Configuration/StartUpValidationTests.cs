using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace SystemMail.Tests.Configuration;

/// <summary>Start-up validation names every problem of a section: a misspelt provider or a value the binder cannot read hides none.</summary>
public sealed class StartUpValidationTests
{
    private static async Task<OptionsValidationException> StartAsync(Dictionary<string, string?> section)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(section);
        builder.Services.AddSystemMail(builder.Configuration);
        using var host = builder.Build();

        return await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
    }

    private static string[] Fields(OptionsValidationException exception) =>
        [.. exception.Failures.Select(f => OptionsFailures.Field(f) ?? "(unnamed) " + f).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task StartAsync_BadEnumUnknownProviderAndFiveOtherMistakes_NamesEveryOne()
    {
        var exception = await StartAsync(new Dictionary<string, string?>
        {
            ["SystemMail:From"] = "not-an-address",
            ["SystemMail:Provider"] = "gmial",
            ["SystemMail:Port"] = "0",
            ["SystemMail:Security"] = "Tls",
            ["SystemMail:Timeout"] = "half a minute",
            ["SystemMail:Authentication"] = "Basic",
            ["SystemMail:Username"] = "me@gmail.com",
            ["SystemMail:PoolSize"] = "0",
            ["SystemMail:Proxy:Type"] = "Socks6",
        });

        Assert.Equal(
            ["From", "Password", "PoolSize", "Port", "Provider", "Proxy.Type", "Security", "Timeout"],
            Fields(exception));
        Assert.Contains("Property Security: 'Tls' is not one of None, StartTls, SslOnConnect.", exception.Failures);
        Assert.Contains(exception.Failures, f => f.StartsWith("Property Provider: 'gmial' is not a known provider template", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.StartsWith("Property Timeout: 'half a minute' is not a duration", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartAsync_UnreadableNumbersAndFlags_AreNamedWithTheRest()
    {
        var exception = await StartAsync(new Dictionary<string, string?>
        {
            ["SystemMail:From"] = "Acme <no-reply@acme.test>",
            ["SystemMail:Provider"] = "custom",
            ["SystemMail:Host"] = "smtp.acme.test",
            ["SystemMail:Port"] = "587a",
            ["SystemMail:MinimumTlsVersion"] = "Tls1.3",
            ["SystemMail:CheckCertificateRevocation"] = "sometimes",
            ["SystemMail:Retry:MaxRetryAttempts"] = "50",
            ["SystemMail:OAuth2:Flow"] = "Implicit",
        });

        // The port that cannot be read is also missing, which the custom provider requires.
        Assert.Equal(["CheckCertificateRevocation", "MinimumTlsVersion", "OAuth2.Flow", "Port", "Port", "Retry.MaxRetryAttempts"], Fields(exception));
        Assert.Contains("Property Port: '587a' is not a whole number in range.", exception.Failures);
        Assert.Contains("Property MinimumTlsVersion: 'Tls1.3' is not a TLS version; use Tls12 or Tls13.", exception.Failures);
    }

    [Fact]
    public void Validate_UnknownProvider_StillChecksWhatNeedsNoTemplate()
    {
        var options = new SystemMailOptions
        {
            From = "a@acme.test",
            Provider = "gmial",
            Host = "user:Pw-SECRET@smtp.acme.test",
            Authentication = SmtpAuthenticationType.OAuth2,
        };

        var failures = OptionsFailures.Of(options);

        Assert.Equal(
            ["Host", "OAuth2.ClientId", "OAuth2.ClientSecret", "OAuth2.RedirectUri", "Provider", "Username"],
            failures.Select(f => OptionsFailures.Field(f)!).Order(StringComparer.Ordinal));
        Assert.All(failures, f => Assert.DoesNotContain("Pw-SECRET", f, StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartAsync_ValidSectionWithEveryKindOfValue_Starts()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SystemMail:From"] = "Acme <no-reply@acme.test>",
            ["SystemMail:Provider"] = "custom",
            ["SystemMail:Host"] = "smtp.acme.test",
            ["SystemMail:Port"] = "465",
            ["SystemMail:Security"] = "sslonconnect",
            ["SystemMail:MinimumTlsVersion"] = "Tls13",
            ["SystemMail:Timeout"] = "00:00:20",
            ["SystemMail:CheckCertificateRevocation"] = "false",
            ["SystemMail:Product:Url"] = "https://iot.acme.test/",
            ["SystemMail:OAuth2:Scopes:0"] = "smtp.send",
        });
        builder.Services.AddSystemMail(builder.Configuration);
        using var host = builder.Build();

        await host.StartAsync(TestContext.Current.CancellationToken);
        var options = host.Services.GetRequiredService<IOptions<SystemMailOptions>>().Value;
        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(SmtpSecurity.SslOnConnect, options.Security);
        Assert.Equal(465, options.Port);
        Assert.Equal(TimeSpan.FromSeconds(20), options.Timeout);
        Assert.False(options.CheckCertificateRevocation);
        Assert.Equal(["smtp.send"], options.OAuth2.Scopes);
    }

    [Theory]
    [InlineData("Acme <no-reply\u202E@acme.test>", "text direction")]
    [InlineData("Acme \u2067IT\u2069 <no-reply@acme.test>", "text direction")]
    [InlineData("<@relay.acme.test:no-reply@acme.test>", "source route")]
    [InlineData("Acme <aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@acme.test>", "too long")]
    public async Task StartAsync_FromWithARefusedAddress_NamesFrom(string from, string problem)
    {
        var exception = await StartAsync(new Dictionary<string, string?>
        {
            ["SystemMail:From"] = from,
            ["SystemMail:Provider"] = "custom",
            ["SystemMail:Host"] = "smtp.acme.test",
            ["SystemMail:Port"] = "587",
            ["SystemMail:Security"] = "StartTls",
        });

        var failure = Assert.Single(exception.Failures);
        Assert.Equal("From", OptionsFailures.Field(failure));
        Assert.Contains(problem, failure, StringComparison.Ordinal);
        Assert.False(MailAddressRules.HasDirectionControl(failure), "the failure echoes no direction control");
    }
}
