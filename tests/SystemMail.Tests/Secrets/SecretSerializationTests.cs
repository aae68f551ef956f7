using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace SystemMail.Tests.Secrets;

/// <summary>The secrets in the options stay out of System.Text.Json, and configuration still binds them.</summary>
public sealed class SecretSerializationTests
{
    private const string Password = "Pw-SECRET-5c1d";
    private const string ClientSecret = "Cs-SECRET-8e2a";
    private const string ProxyPassword = "Proxy-SECRET-3f7b";

    [Fact]
    public void Serialize_OptionsWithSecrets_LeavesTheSecretsOut()
    {
        var options = new SystemMailOptions
        {
            From = "a@acme.test",
            Host = "smtp.acme.test",
            Username = "mailer",
            Password = Password,
            OAuth2 = new SmtpOAuthOptions { ClientId = "client-id", ClientSecret = ClientSecret },
            Proxy = new SmtpProxyOptions { Host = "proxy.acme.test", Port = 1080, Username = "relay", Password = ProxyPassword },
        };

        var json = JsonSerializer.Serialize(options, JsonSerializerOptions.Web);

        Assert.Contains("smtp.acme.test", json, StringComparison.Ordinal);
        Assert.Contains("client-id", json, StringComparison.Ordinal);
        Assert.Contains("relay", json, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, json, StringComparison.Ordinal);
        Assert.DoesNotContain(ClientSecret, json, StringComparison.Ordinal);
        Assert.DoesNotContain(ProxyPassword, json, StringComparison.Ordinal);
    }

    [Fact]
    public void AddSystemMail_ConfigurationWithSecrets_StillBindsThem()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SystemMail:Password"] = Password,
            ["SystemMail:OAuth2:ClientSecret"] = ClientSecret,
            ["SystemMail:Proxy:Host"] = "proxy.acme.test",
            ["SystemMail:Proxy:Password"] = ProxyPassword,
        }).Build();
        var services = new ServiceCollection();
        services.AddSystemMail(configuration);
        using var provider = services.BuildServiceProvider();

        // The section alone is not valid settings: read them as bound, before validation.
        var bound = provider.GetRequiredService<UnsavedSettingsFactory>().CreateUnvalidated();

        Assert.Equal(Password, bound.Password);
        Assert.Equal(ClientSecret, bound.OAuth2.ClientSecret);
        Assert.Equal(ProxyPassword, bound.Proxy?.Password);
    }

    [Fact]
    public void PublicTypes_EveryPropertyHoldingASecret_IsLeftOutOfJson()
    {
        // Every public settable or readable value whose name says it holds a secret, in every public type of the package:
        // a property added later (a proxy's, a service account's key) is held to the same rule.
        var secretName = new Regex("Password|Secret|PrivateKey|ApiKey|AccessToken|RefreshToken|Credential", RegexOptions.CultureInvariant);
        var secrets = typeof(SystemMailOptions).Assembly.GetExportedTypes()
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(p => secretName.IsMatch(p.Name) && (p.PropertyType == typeof(string) || p.PropertyType == typeof(byte[]) || p.PropertyType == typeof(char[])))
            .ToList();

        Assert.Contains(secrets, p => p.DeclaringType == typeof(SystemMailOptions) && p.Name == nameof(SystemMailOptions.Password));
        Assert.All(secrets, p => Assert.True(
            p.GetCustomAttribute<JsonIgnoreAttribute>() is { Condition: JsonIgnoreCondition.Always },
            $"{p.DeclaringType!.Name}.{p.Name} holds a secret but is not [JsonIgnore]"));
    }
}
