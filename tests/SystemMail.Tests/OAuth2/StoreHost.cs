using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace SystemMail.Tests.OAuth2;

/// <summary>A generic host with valid SystemMail settings, for the tests of what a token store needs at start-up.</summary>
internal static class StoreHost
{
    public static IHost Build(Action<IServiceCollection, ISystemMailBuilder> configure)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SystemMail:From"] = "Acme <no-reply@acme.test>",
            ["SystemMail:Provider"] = "custom",
            ["SystemMail:Host"] = "smtp.acme.test",
            ["SystemMail:Port"] = "587",
        });
        configure(builder.Services, builder.Services.AddSystemMail(builder.Configuration));
        return builder.Build();
    }
}
