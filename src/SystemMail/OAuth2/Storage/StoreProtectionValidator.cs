using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SystemMail;

/// <summary>
/// Stops the host at start-up (the options are validated on start) when SystemMail's store outlives the process but
/// no Data Protection is registered to encrypt what goes into it; the message names the fix (<see cref="StoreProtection"/>).
/// </summary>
internal sealed class StoreProtectionValidator : IValidateOptions<SystemMailOptions>
{
    private readonly IServiceProvider _services;

    public StoreProtectionValidator(IServiceProvider services)
    {
        _services = services;
    }

    public ValidateOptionsResult Validate(string? name, SystemMailOptions options)
    {
        if (_services.GetService<IDataProtectionProvider>() is not null || _services.GetService<IOAuthTokenStore>() is not { } store || !StoreProtection.IsPersistent(store))
        {
            return ValidateOptionsResult.Success;
        }

        return ValidateOptionsResult.Fail(StoreProtection.Missing(store));
    }
}
