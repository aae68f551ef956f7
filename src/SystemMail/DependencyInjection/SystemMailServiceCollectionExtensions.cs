using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SystemMail;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers SystemMail in a service collection.</summary>
public static class SystemMailServiceCollectionExtensions
{
    /// <summary>
    /// Adds SystemMail with its settings bound from a configuration section (<c>SystemMail</c> by default),
    /// validated when the host starts and reloaded when the configuration changes.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration that holds the section, usually the host's root configuration.</param>
    /// <param name="sectionName">The section's name. Defaults to <see cref="SystemMailOptions.DefaultSectionName"/>.</param>
    /// <returns>A builder for further SystemMail settings.</returns>
    /// <remarks>
    /// Registers with <c>TryAdd*</c>: calling it again is harmless, and services the host registered first win. A value
    /// the configuration binder cannot convert, such as <c>"Security": "Tls"</c>, is reported with every other problem
    /// in the <see cref="OptionsValidationException"/> that stops the host, instead of alone.
    /// </remarks>
    public static ISystemMailBuilder AddSystemMail(this IServiceCollection services, IConfiguration configuration, string sectionName = SystemMailOptions.DefaultSectionName)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(sectionName);

        // Bound like OptionsBuilder.Bind, but a value the binder cannot convert is a validation failure beside the others.
        var section = configuration.GetSection(sectionName);
        var binding = new SectionBinding(section);
        services.AddSingleton<IConfigureOptions<SystemMailOptions>>(binding);
        services.AddSingleton<IValidateOptions<SystemMailOptions>>(binding);
        services.AddSingleton<IOptionsChangeTokenSource<SystemMailOptions>>(new ConfigurationChangeTokenSource<SystemMailOptions>(section));
        return services.AddSystemMailCore();
    }

    /// <summary>Adds SystemMail with settings made in code, validated when the host starts.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>A builder for further SystemMail settings.</returns>
    /// <remarks>Registers with <c>TryAdd*</c>: calling it again is harmless, and services the host registered first win.</remarks>
    public static ISystemMailBuilder AddSystemMail(this IServiceCollection services, Action<SystemMailOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.Configure(configure);
        return services.AddSystemMailCore();
    }

    private static SystemMailBuilder AddSystemMailCore(this IServiceCollection services)
    {
        // A second call only binds settings again; the services are registered once.
        if (services.Any(d => d.ServiceType == typeof(SystemMailMarker)))
        {
            return new SystemMailBuilder(services);
        }

        services.AddSingleton<SystemMailMarker>();
        services.AddOptions<SystemMailOptions>().ValidateOnStart();
        services.AddOptions<MailTemplateOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SystemMailOptions>, SystemMailOptionsRangeValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SystemMailOptions>, SystemMailOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MailTemplateOptions>, MailTemplateOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Hosting.IHostedService, InsecureAuthenticationWarning>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new SystemMailTelemetry(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddSingleton<SendHealth>();
        services.TryAddSingleton<SettingsHealth>();
        services.TryAddSingleton<ISmtpProviderCatalog, SmtpProviderCatalog>();
        services.TryAddSingleton<TemplateHealth>();
        services.TryAddSingleton<TemplateFallbacks>();
        services.TryAddSingleton<ISavedTemplateSource>(NoSavedTemplates.Instance);
        services.TryAddSingleton<MailTemplateRenderer>();
        services.TryAddSingleton<SmtpSettingsSource>();
        services.TryAddSingleton<SmtpConnector>();
        services.TryAddSingleton<SmtpConnectionPool>();
        services.AddHttpClient(GraphHttpClient.Name);
        services.TryAddSingleton<GraphSender>();
        services.TryAddSingleton<GraphMailTransport>();
        services.TryAddSingleton(sp => new MailTransports(sp.GetRequiredService<SmtpConnectionPool>(), sp.GetRequiredService<GraphMailTransport>()));
        services.TryAddSingleton(sp => new RecipientLimiter(
            sp.GetService<Caching.Distributed.IDistributedCache>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<SystemMailTelemetry>(),
            sp.GetService<Logging.ILogger<RecipientLimiter>>()));
        services.TryAddSingleton<ISystemMailer, SystemMailer>();
        services.TryAddSingleton<UnsavedSettingsFactory>();
        services.TryAddSingleton<ISystemMailDiagnostics, SystemMailDiagnostics>();

        // OAuth2: the token store (the host's wins), the token manager and the XOAUTH2 authenticator.
        // The token endpoint's client connects through the guard: endpoints from the settings page are checked on connect.
        services.TryAddSingleton<OAuthEndpointGuard>();
        services.AddHttpClient(OAuthHttpClient.Name)
            .UseSocketsHttpHandler((handler, sp) => handler.ConnectCallback = sp.GetRequiredService<OAuthEndpointGuard>().ConnectAsync);
        services.TryAddSingleton<IOAuthTokenStore, InMemoryOAuthTokenStore>();
        services.TryAddSingleton(sp => new OAuthRecordSerializer(sp.GetService<AspNetCore.DataProtection.IDataProtectionProvider>(), sp.GetRequiredService<IOAuthTokenStore>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SystemMailOptions>, StoreProtectionValidator>());
        services.TryAddSingleton<GoogleHttpClientFactory>();
        services.TryAddSingleton<MsalHttpClientFactory>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOAuthProviderClient, GoogleAuthOAuthClient>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOAuthProviderClient, MsalOAuthClient>());
        services.TryAddSingleton<OAuthTokenManager>();
        services.TryAddSingleton<IOAuthTokenService>(sp => sp.GetRequiredService<OAuthTokenManager>());
        services.TryAddSingleton<ISmtpAuthenticator, XOAuth2Authenticator>();
        return new SystemMailBuilder(services);
    }

    private sealed class SystemMailMarker;
}
