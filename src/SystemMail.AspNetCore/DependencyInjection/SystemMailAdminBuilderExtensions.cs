using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SystemMail;
using SystemMail.AspNetCore;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The back end of a "Mail server" settings page: settings saved by the administrator, and where they are kept.</summary>
public static class SystemMailAdminBuilderExtensions
{
    /// <summary>
    /// Adds what <c>MapSystemMailAdmin</c> needs: settings saved from the page override the configuration's and reach
    /// <see cref="IOptionsMonitor{TOptions}"/> at once, so the next mail uses them. They are kept in the
    /// <see cref="IOAuthTokenStore"/> beside the OAuth2 tokens (key <c>settings</c>): in memory unless the host
    /// registers its own store with <c>AddTokenStore&lt;T&gt;()</c> or <c>AddDistributedTokenStore()</c>.
    /// </summary>
    /// <param name="builder">The SystemMail builder.</param>
    /// <param name="configure">Sets the admin endpoints' options, such as the page "Generate access token" returns to.</param>
    /// <returns>The same builder.</returns>
    /// <remarks>
    /// The saved settings are read from the store once, the first time the options are built (at start-up, with
    /// <c>ValidateOnStart</c>), then kept in memory. They are protected with Data Protection when it is registered
    /// (ASP.NET Core registers it with authentication): persist its key ring, or the saved settings cannot be read after
    /// a restart. Settings that cannot be read do not stop the host: the configuration's apply, the health check is
    /// unhealthy with the reason, <c>GET settings</c> says so and the next save replaces them. Calling this again is harmless.
    /// </remarks>
    public static ISystemMailBuilder AddAdmin(this ISystemMailBuilder builder, Action<SystemMailAdminOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.AddOptions<SystemMailAdminOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SystemMailAdminOptions>, SystemMailAdminOptionsValidator>());
        services.TryAddSingleton(sp => new SettingsSerializer(sp.GetService<AspNetCore.DataProtection.IDataProtectionProvider>(), sp.GetRequiredService<IOAuthTokenStore>()));
        services.TryAddSingleton<SystemMailSettingsManager>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<SystemMailOptions>, SavedSettingsPostConfigure>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOptionsChangeTokenSource<SystemMailOptions>, SystemMailSettingsManager>(sp => sp.GetRequiredService<SystemMailSettingsManager>()));
        services.TryAddSingleton<SystemMailAdminService>();

        // Templates saved from the page, in the same store: the mailer reads them before each mail, on every instance.
        services.TryAddSingleton<StoredMailTemplates>();
        services.Replace(ServiceDescriptor.Singleton<ISavedTemplateSource>(sp => sp.GetRequiredService<StoredMailTemplates>()));
        services.TryAddSingleton<SystemMailTemplateService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Hosting.IHostedService, SavedSettingsReloader>());
        return builder;
    }
}
