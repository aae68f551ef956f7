using System.Diagnostics.CodeAnalysis;

namespace SystemMail.AspNetCore.Tests.Admin;

public sealed class SettingsMapperTests
{
    private const string ProxyPassword = "Proxy-pw-5e0c2b7d";

    private static readonly ISmtpProviderCatalog Catalog = new BuiltInCatalog();

    [Fact]
    public void ToStored_BlankProxyPasswordForTheSameProxy_KeepsTheStoredOne()
    {
        var stored = SettingsMapper.ToStored(Input(SmtpProxyType.Https), Saved(SmtpProxyType.Https), Catalog, redirectUri: null, reuseStoredSecrets: true, out var withheld);

        Assert.Equal(ProxyPassword, stored.ProxyPassword);
        Assert.Empty(withheld);
    }

    [Theory]
    [InlineData(SmtpProxyType.Https, SmtpProxyType.Http)]
    [InlineData(SmtpProxyType.Socks5, SmtpProxyType.Http)]
    [InlineData(SmtpProxyType.Http, SmtpProxyType.Socks5)]
    public void ToStored_BlankProxyPasswordAndAnotherProxyType_AsksForThePasswordAgain(SmtpProxyType saved, SmtpProxyType entered)
    {
        var stored = SettingsMapper.ToStored(Input(entered), Saved(saved), Catalog, redirectUri: null, reuseStoredSecrets: true, out var withheld);

        Assert.Null(stored.ProxyPassword);
        Assert.Equal(["proxy.password"], withheld);
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
