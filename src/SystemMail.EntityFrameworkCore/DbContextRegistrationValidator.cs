using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SystemMail.EntityFrameworkCore;

/// <summary>
/// Stops the host at start-up (SystemMail's settings are validated on start) when the context of
/// <c>PersistToDbContext&lt;TContext&gt;()</c> is not registered, instead of at the first mail or token refresh.
/// </summary>
/// <typeparam name="TContext">The host's context.</typeparam>
internal sealed class DbContextRegistrationValidator<TContext> : IValidateOptions<SystemMailOptions>
    where TContext : DbContext, ISystemMailDbContext
{
    private readonly IServiceProviderIsService? _isService;

    public DbContextRegistrationValidator(IServiceProvider services)
    {
        // A container without this service cannot answer the question; the first use of the store then will.
        _isService = services.GetService<IServiceProviderIsService>();
    }

    public ValidateOptionsResult Validate(string? name, SystemMailOptions options)
    {
        if (_isService is null
            || _isService.IsService(typeof(TContext))
            || _isService.IsService(typeof(IDbContextFactory<TContext>)))
        {
            return ValidateOptionsResult.Success;
        }

        var context = typeof(TContext).Name;
        return ValidateOptionsResult.Fail(
            $"SystemMail keeps its records in {context} (PersistToDbContext<{context}>()), but {context} is not registered: call AddDbContext<{context}>(…) or AddDbContextFactory<{context}>(…).");
    }
}
