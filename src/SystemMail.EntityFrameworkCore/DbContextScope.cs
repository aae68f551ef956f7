using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace SystemMail.EntityFrameworkCore;

/// <summary>
/// Runs a piece of work on a context of its own: from <see cref="IDbContextFactory{TContext}"/> when the host
/// registered one (<c>AddDbContextFactory</c>, pooled or not), else the scoped context (<c>AddDbContext</c>) of a new
/// service scope, which also serves scoped services a context may depend on. Never a caller's context (its change
/// tracker, its transaction). Data Protection's <c>PersistKeysToDbContext</c> works the same way.
/// </summary>
internal static class DbContextScope
{
    public static async Task<T> UseAsync<TContext, T>(IServiceScopeFactory scopes, Func<TContext, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
        where TContext : DbContext
    {
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            if (scope.ServiceProvider.GetService<IDbContextFactory<TContext>>() is not { } factory)
            {
                return await work(scope.ServiceProvider.GetRequiredService<TContext>(), cancellationToken).ConfigureAwait(false);
            }

            var context = await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            await using (context.ConfigureAwait(false))
            {
                return await work(context, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
