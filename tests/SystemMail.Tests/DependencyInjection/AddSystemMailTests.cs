using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace SystemMail.Tests.DependencyInjection;

public sealed class AddSystemMailTests
{
    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    private static Dictionary<string, string?> ValidSection(string prefix = "SystemMail") => new()
    {
        [$"{prefix}:From"] = "Acme <no-reply@acme.test>",
        [$"{prefix}:Provider"] = "custom",
        [$"{prefix}:Host"] = "smtp.acme.test",
        [$"{prefix}:Port"] = "587",
        [$"{prefix}:Security"] = "StartTls",
        [$"{prefix}:MinimumTlsVersion"] = "Tls13",
        [$"{prefix}:Authentication"] = "Basic",
        [$"{prefix}:Username"] = "mailer",
        [$"{prefix}:Password"] = "secret",
        [$"{prefix}:Timeout"] = "00:00:15",
        [$"{prefix}:Proxy:Type"] = "Http",
        [$"{prefix}:Proxy:Host"] = "proxy.acme.test",
        [$"{prefix}:Proxy:Port"] = "3128",
        [$"{prefix}:Product:Name"] = "Acme IoT",
        [$"{prefix}:Product:Url"] = "https://iot.acme.test/",
    };

    [Fact]
    public void AddSystemMail_Configuration_BindsEveryField()
    {
        var services = new ServiceCollection();
        services.AddSystemMail(Configuration(ValidSection()));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<SystemMailOptions>>().Value;

        Assert.Equal("Acme <no-reply@acme.test>", options.From);
        Assert.Equal(587, options.Port);
        Assert.Equal(SmtpSecurity.StartTls, options.Security);
        Assert.Equal(System.Security.Authentication.SslProtocols.Tls13, options.MinimumTlsVersion);
        Assert.Equal(SmtpAuthenticationType.Basic, options.Authentication);
        Assert.Equal(TimeSpan.FromSeconds(15), options.Timeout);
        Assert.Equal(SmtpProxyType.Http, options.Proxy?.Type);
        Assert.Equal(3128, options.Proxy?.Port);
        Assert.Equal("Acme IoT", options.Product.Name);
        Assert.Equal(new Uri("https://iot.acme.test/"), options.Product.Url);
    }

    [Fact]
    public void AddSystemMail_OtherSectionName_BindsThatSection()
    {
        var services = new ServiceCollection();
        services.AddSystemMail(Configuration(ValidSection("Mail")), "Mail");
        using var provider = services.BuildServiceProvider();

        Assert.Equal("smtp.acme.test", provider.GetRequiredService<IOptions<SystemMailOptions>>().Value.Host);
    }

    [Fact]
    public void AddSystemMail_CalledTwice_RegistersEachServiceOnce()
    {
        var services = new ServiceCollection();
        services.AddSystemMail(Configuration(ValidSection()));
        var countAfterFirst = services.Count;

        services.AddSystemMail(Configuration(ValidSection()));

        Assert.Single(services, d => d.ServiceType == typeof(ISystemMailer));
        Assert.Single(services, d => d.ServiceType == typeof(ISmtpProviderCatalog));
        Assert.Single(services, d => d.ImplementationType == typeof(SystemMailOptionsValidator));
        Assert.Single(services, d => d.ImplementationType == typeof(SystemMailOptionsRangeValidator));
        using var provider = services.BuildServiceProvider();
        Assert.Same(provider.GetRequiredService<ISystemMailer>(), provider.GetRequiredService<ISystemMailer>());
        Assert.True(services.Count - countAfterFirst <= 4, "A second call only adds the binding of the section again.");
    }

    [Fact]
    public void AddSystemMail_HostRegisteredMailerFirst_HostsWins()
    {
        var services = new ServiceCollection();
        var own = new SmtpProviderCatalog([]);
        services.AddSingleton<ISmtpProviderCatalog>(own);

        services.AddSystemMail(o => o.From = "a@acme.test");
        using var provider = services.BuildServiceProvider();

        Assert.Same(own, provider.GetRequiredService<ISmtpProviderCatalog>());
    }

    [Fact]
    public void AddProviderTemplate_HostTemplate_ListedAndAccepted()
    {
        var services = new ServiceCollection();
        services.AddSystemMail(o =>
        {
            o.From = "a@acme.test";
            o.Provider = "mailgun";
            o.Authentication = SmtpAuthenticationType.Basic;
            o.Username = "postmaster@acme.test";
            o.Password = "pw";
        }).AddProviderTemplate<MailgunTemplate>();
        using var provider = services.BuildServiceProvider();

        var catalog = provider.GetRequiredService<ISmtpProviderCatalog>();
        var options = provider.GetRequiredService<IOptions<SystemMailOptions>>().Value;

        Assert.Contains(catalog.Templates, t => t.Id == "mailgun");
        Assert.Equal("postmaster@acme.test", options.Username);
    }

    [Fact]
    public async Task StartAsync_BadSection_FailsWithEveryProblemNamed()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SystemMail:From"] = "not-an-address",
            ["SystemMail:Provider"] = "google",
            ["SystemMail:Host"] = "smtp.example.org",
            ["SystemMail:Authentication"] = "Basic",
            ["SystemMail:Username"] = "me@gmail.com",
        });
        builder.Services.AddSystemMail(builder.Configuration);
        using var host = builder.Build();

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal(typeof(SystemMailOptions), exception.OptionsType);
        Assert.Contains(exception.Failures, f => f.StartsWith("Property From:", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.StartsWith("Property Host:", StringComparison.Ordinal) && f.Contains("custom", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.StartsWith("Property Password:", StringComparison.Ordinal));
        Assert.Equal(3, exception.Failures.Count());
    }

    [Fact]
    public async Task StartAsync_RangesAndTemplateRulesBroken_NamesEveryProblemInOneFailure()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var section = ValidSection();
        section["SystemMail:Provider"] = "google";
        section["SystemMail:PoolSize"] = "0";
        section["SystemMail:Retry:MaxRetryAttempts"] = "50";
        builder.Configuration.AddInMemoryCollection(section);
        builder.Services.AddSystemMail(builder.Configuration);
        using var host = builder.Build();

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        // The template's rules (hand-written) and the ranges (attributes) are listed together.
        Assert.Contains(exception.Failures, f => f.StartsWith("Property Host:", StringComparison.Ordinal) && f.Contains("custom", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.StartsWith("PoolSize: The field SystemMailOptions.PoolSize must be between 1 and 100", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.StartsWith("MaxRetryAttempts: The field SystemMailOptions.Retry.MaxRetryAttempts must be between 0 and 10", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartAsync_ValidSection_Starts()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(ValidSection());
        builder.Services.AddSystemMail(builder.Configuration);
        using var host = builder.Build();

        await host.StartAsync(TestContext.Current.CancellationToken);

        Assert.NotNull(host.Services.GetRequiredService<ISystemMailer>());
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task StartAsync_InvalidTemplateOverride_FailsNamingTheTemplate()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(ValidSection());
        builder.Services.AddSystemMail(builder.Configuration)
            .AddMailTemplate(SystemMailKind.PasswordReset, new MailTemplate { Subject = "Reset {{ product_name " }, "fr");
        using var host = builder.Build();

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(exception.Failures, f => f.Contains("PasswordReset (fr) Subject", StringComparison.Ordinal));
    }

    private sealed class MailgunTemplate : ISmtpProviderTemplate
    {
        public string Id => "mailgun";

        public string DisplayName => "Mailgun";

        public bool AllowsCustomConnection => false;

        public string? Host => "smtp.mailgun.org";

        public int? Port => 587;

        public SmtpSecurity? Security => SmtpSecurity.StartTls;

        public System.Security.Authentication.SslProtocols MinimumTlsVersion => System.Security.Authentication.SslProtocols.Tls12;

        public IReadOnlyList<SmtpAuthenticationType> SupportedAuthentication => [SmtpAuthenticationType.Basic];

        public string? FixedUsername => null;

        public SmtpOAuthMetadata? OAuth2 => null;

        public Uri? HelpLink => null;
    }
}
