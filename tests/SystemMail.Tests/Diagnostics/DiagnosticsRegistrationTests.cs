using System.Globalization;
using Microsoft.Extensions.DependencyInjection;

namespace SystemMail.Tests.Diagnostics;

public sealed class DiagnosticsRegistrationTests
{
    [Fact]
    public void AddSystemMail_CalledTwice_RegistersTheDiagnosticsOnceAsASingleton()
    {
        // Arrange
        var services = new ServiceCollection();

        // Act
        services.AddSystemMail(o => o.From = "no-reply@example.com");
        services.AddSystemMail(o => o.Host = "smtp.example.com");

        // Assert
        var descriptor = Assert.Single(services, d => d.ServiceType == typeof(ISystemMailDiagnostics));
        Assert.Equal(ServiceLifetime.Singleton, descriptor.Lifetime);
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Assert.Same(provider.GetRequiredService<ISystemMailDiagnostics>(), provider.GetRequiredService<ISystemMailDiagnostics>());
    }

    [Fact]
    public void AddSystemMail_HostRegisteredDiagnosticsFirst_HostsWins()
    {
        // Arrange
        var services = new ServiceCollection();
        var own = new HostDiagnostics();
        services.AddSingleton<ISystemMailDiagnostics>(own);

        // Act
        services.AddSystemMail(o => o.From = "no-reply@example.com");

        // Assert
        using var provider = services.BuildServiceProvider();
        Assert.Same(own, provider.GetRequiredService<ISystemMailDiagnostics>());
    }

    private sealed class HostDiagnostics : ISystemMailDiagnostics
    {
        public Task<SmtpDiagnosticReport> TestConnectionAsync(CultureInfo? culture = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<SmtpDiagnosticReport> TestConnectionAsync(Action<SystemMailOptions> settings, CultureInfo? culture = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<SmtpDiagnosticReport> SendTestMailAsync(string recipient, CultureInfo? culture = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<SmtpDiagnosticReport> SendTestMailAsync(string recipient, Action<SystemMailOptions> settings, CultureInfo? culture = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
