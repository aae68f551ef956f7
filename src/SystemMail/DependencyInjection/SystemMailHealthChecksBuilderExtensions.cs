using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SystemMail;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds SystemMail's health check: connects and authenticates to the mail server, never sends.</summary>
public static class SystemMailHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds the <c>systemmail</c> health check: healthy when the server answers and accepts the credentials, degraded when
    /// the OAuth2 tokens must be generated (again) or the last send failed, unhealthy when it cannot connect or authenticate
    /// or when the settings saved on the settings page cannot be read.
    /// </summary>
    /// <param name="builder">The health checks builder from <c>services.AddHealthChecks()</c>.</param>
    /// <param name="name">The check's name. Defaults to <c>systemmail</c>.</param>
    /// <param name="tags">Tags to filter checks by, such as <c>ready</c>.</param>
    /// <param name="cacheDuration">How long a result is reused, so frequent probes do not open a connection each time. Defaults to 1 minute.</param>
    /// <returns>The same builder.</returns>
    public static IHealthChecksBuilder AddSystemMail(this IHealthChecksBuilder builder, string name = "systemmail", IEnumerable<string>? tags = null, TimeSpan? cacheDuration = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var duration = cacheDuration ?? TimeSpan.FromMinutes(1);
        // One instance, so its cached result outlives a single run of the health checks.
        builder.Services.TryAddSingleton(sp => new SystemMailHealthCheck(
            sp.GetRequiredService<SmtpSettingsSource>(),
            sp.GetRequiredService<SmtpConnector>(),
            sp.GetRequiredService<OAuthTokenManager>(),
            sp.GetRequiredService<SendHealth>(),
            sp.GetRequiredService<SettingsHealth>(),
            sp.GetRequiredService<TimeProvider>(),
            duration,
            sp.GetService<TemplateHealth>()));
        return builder.Add(new HealthCheckRegistration(name, sp => sp.GetRequiredService<SystemMailHealthCheck>(), failureStatus: null, tags));
    }

    /// <summary>Adds SystemMail's health check to the host's health checks (see <see cref="AddSystemMail(IHealthChecksBuilder, string, IEnumerable{string}?, TimeSpan?)"/>).</summary>
    /// <param name="builder">The SystemMail builder.</param>
    /// <param name="name">The check's name. Defaults to <c>systemmail</c>.</param>
    /// <param name="tags">Tags to filter checks by.</param>
    /// <returns>The same builder.</returns>
    public static ISystemMailBuilder AddHealthCheck(this ISystemMailBuilder builder, string name = "systemmail", IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHealthChecks().AddSystemMail(name, tags);
        return builder;
    }
}
