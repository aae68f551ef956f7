using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SystemMail.EntityFrameworkCore.Tests.Infrastructure;

namespace SystemMail.EntityFrameworkCore.Tests.Stores;

/// <summary>What <c>PersistToDbContext</c> registers, whatever the provider.</summary>
public sealed class RegistrationTests
{
    [Fact]
    public void PersistToDbContext_ContextNotRegistered_SettingsFailValidationNamingTheContext()
    {
        var services = new ServiceCollection();
        services.AddSystemMail(_ => { }).PersistToDbContext<TestDbContext>();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SystemMailOptions>>().Value);

        Assert.Contains(error.Failures, f => f.Contains("PersistToDbContext<TestDbContext>()", StringComparison.Ordinal) && f.Contains("AddDbContext<TestDbContext>", StringComparison.Ordinal));
    }

    [Fact]
    public void PersistToDbContext_CalledTwice_OneStoreReplacingTheDefault()
    {
        var services = new ServiceCollection();
        services.AddDbContextFactory<TestDbContext>(o => o.UseSqlite("Data Source=:memory:"));
        services.AddSystemMail(_ => { }).PersistToDbContext<TestDbContext>().PersistToDbContext<TestDbContext>();

        var stores = services.Where(d => d.ServiceType == typeof(IOAuthTokenStore)).ToList();

        var store = Assert.Single(stores);
        Assert.Equal(typeof(EfCoreSystemMailStore<TestDbContext>), store.ImplementationType);
        Assert.Equal(ServiceLifetime.Singleton, store.Lifetime);
    }
}
