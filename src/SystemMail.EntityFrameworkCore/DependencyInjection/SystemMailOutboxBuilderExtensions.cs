using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SystemMail;
using SystemMail.EntityFrameworkCore;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers SystemMail's outbox in the host's own Entity Framework Core context.</summary>
public static class SystemMailOutboxBuilderExtensions
{
    /// <summary>
    /// Adds the outbox: <see cref="ISystemMailOutbox"/> queues mails in <typeparamref name="TContext"/>'s
    /// <see cref="ISystemMailOutboxDbContext.SystemMailOutbox"/>, and a hosted dispatcher sends them through the
    /// configured server under the provider's sending limit, for all instances together.
    /// </summary>
    /// <typeparam name="TContext">The host's context, registered with <c>AddDbContext</c> or <c>AddDbContextFactory</c> on any EF Core provider.</typeparam>
    /// <param name="builder">The SystemMail builder.</param>
    /// <param name="configure">Configures the outbox's options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The same builder.</returns>
    /// <remarks>
    /// Data Protection must be registered (bodies are protected at rest), with a key ring every instance shares.
    /// The outbox works beside any token store; <c>PersistToDbContext&lt;TContext&gt;()</c> keeps the tokens in the same context.
    /// </remarks>
    public static ISystemMailBuilder AddOutbox<TContext>(this ISystemMailBuilder builder, Action<SystemMailOutboxOptions>? configure = null)
        where TContext : DbContext, ISystemMailOutboxDbContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<SystemMailOutboxOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SystemMailOutboxOptions>, SystemMailOutboxOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SystemMailOptions>, DbContextRegistrationValidator<TContext>>());
        services.TryAddSingleton(sp => sp.GetRequiredService<ISystemMailer>() as SystemMailer ?? ActivatorUtilities.CreateInstance<SystemMailer>(sp));
        services.TryAddSingleton<OutboxComposer>();
        services.TryAddSingleton<OutboxStore<TContext>>();
        services.TryAddSingleton<OutboxMetrics>();
        services.TryAddSingleton(sp => new OutboxRateGate(ActivatorUtilities.CreateInstance<EfCoreSystemMailStore<TContext>>(sp), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<EfCoreSystemMailOutbox<TContext>>();
        services.TryAddSingleton<ISystemMailOutbox>(sp => sp.GetRequiredService<EfCoreSystemMailOutbox<TContext>>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, OutboxDispatcher<TContext>>());
        services.AddHealthChecks().Add(new HealthCheckRegistration(
            "systemmail-outbox",
            sp => ActivatorUtilities.CreateInstance<OutboxHealthCheck<TContext>>(sp),
            failureStatus: null,
            tags: ["systemmail"]));
        return builder;
    }
}
