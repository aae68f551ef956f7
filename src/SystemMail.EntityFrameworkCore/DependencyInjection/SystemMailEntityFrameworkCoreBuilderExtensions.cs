using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SystemMail;
using SystemMail.EntityFrameworkCore;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Keeps SystemMail's records in the host's own Entity Framework Core context.</summary>
public static class SystemMailEntityFrameworkCoreBuilderExtensions
{
    /// <summary>
    /// Keeps SystemMail's records (the OAuth2 tokens, pending authorizations and, with SystemMail.AspNetCore, the
    /// settings saved from the settings page) in <typeparamref name="TContext"/>'s
    /// <see cref="ISystemMailDbContext.SystemMailRecords"/>, replacing the in-memory default.
    /// </summary>
    /// <typeparam name="TContext">
    /// The host's context, registered with <c>AddDbContext</c> or <c>AddDbContextFactory</c> on any EF Core provider.
    /// </typeparam>
    /// <param name="builder">The SystemMail builder.</param>
    /// <returns>The same builder.</returns>
    /// <remarks>
    /// <para>Every read and write uses a context of its own (from the factory when one is registered), never the
    /// context of the request. A save is a compare-and-swap done by the database, so host instances sharing the
    /// database never overwrite each other's newer tokens.</para>
    /// <para>When <typeparamref name="TContext"/> is not registered, SystemMail's settings fail validation at start-up.
    /// Register Data Protection with a key ring every instance shares, so each can read what another saved.</para>
    /// </remarks>
    public static ISystemMailBuilder PersistToDbContext<TContext>(this ISystemMailBuilder builder)
        where TContext : DbContext, ISystemMailDbContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddTokenStore<EfCoreSystemMailStore<TContext>>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SystemMailOptions>, DbContextRegistrationValidator<TContext>>());
        return builder;
    }
}
