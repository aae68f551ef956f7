using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SystemMail.AspNetCore.Tests.Admin;

public sealed class SettingsMapperTests
{
    private const string ProxyPassword = "Proxy-pw-5e0c2b7d";

    private static readonly ISmtpProviderCatalog Catalog = new BuiltInCatalog();

    [Fact]
    public void ToErrors_FailuresOfRulesAndOfAttributes_KeyedByJsonPath()
    {
        var services = new ServiceCollection();
        services.AddSystemMail(_ => { });
        using var provider = services.BuildServiceProvider();
        var options = Saved(SmtpProxyType.Http);
        options.From = "not an address";
        options.Port = 70000;
        options.Timeout = TimeSpan.FromHours(1);
        options.Proxy!.Port = -1;
        options.OAuth2.RefreshMargin = TimeSpan.FromHours(1);
        var failures = provider.GetServices<IValidateOptions<SystemMailOptions>>()
            .Select(v => v.Validate(Options.DefaultName, options))
            .SelectMany(r => r.Failures ?? []);

        var errors = SettingsMapper.ToErrors(failures);

        Assert.Equal(["from", "oauth2.refreshMargin", "port", "proxy.port", "timeoutSeconds"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("not a valid address", Assert.Single(errors["from"]), StringComparison.Ordinal);
        Assert.Equal("must be between 1 and 65535.", Assert.Single(errors["port"]));
        Assert.Equal("must be between 00:00:00 exclusive and 00:10:00.", Assert.Single(errors["timeoutSeconds"]));
        Assert.Equal("must be between 0 and 65535.", Assert.Single(errors["proxy.port"]));
        Assert.Equal("must be between 00:00:00 and 00:30:00.", Assert.Single(errors["oauth2.refreshMargin"]));
    }

    [Fact]
    public void ToErrors_FailureNamingNoSetting_KeyedByTheEmptyPath()
    {
        var errors = SettingsMapper.ToErrors(["The settings are wrong.", "Port: The field is odd."]);

        Assert.Equal(["The settings are wrong.", "Port: The field is odd."], Assert.Single(errors, e => e.Key.Length == 0).Value);
    }

    private static SystemMailOptions Saved(SmtpProxyType type) => new()
    {
        From = "Acme <no-reply@acme.test>",
        Provider = SmtpProviderTemplates.CustomId,
        Host = "smtp.acme.test",
        Port = 587,
        Proxy = new SmtpProxyOptions { Type = type, Host = "proxy.acme.test", Port = 3128, Username = "relay", Password = ProxyPassword },
    };

    private static SettingsInput Input(SmtpProxyType type) => new()
    {
        From = "Acme <no-reply@acme.test>",
        Provider = SmtpProviderTemplates.CustomId,
        Host = "smtp.acme.test",
        Port = 587,
        Authentication = SmtpAuthenticationType.None,
        Proxy = new ProxyInput { Type = type, Host = "proxy.acme.test", Port = 3128, Username = "relay", Password = "" },
    };

    private sealed class BuiltInCatalog : ISmtpProviderCatalog
    {
        public IReadOnlyList<ISmtpProviderTemplate> Templates => SmtpProviderTemplates.BuiltIn;

        public bool TryGet(string? id, [NotNullWhen(true)] out ISmtpProviderTemplate? providerTemplate)
        {
            providerTemplate = Templates.FirstOrDefault(t => string.Equals(t.Id, id, StringComparison.OrdinalIgnoreCase));
            return providerTemplate is not null;
        }
    }
}
