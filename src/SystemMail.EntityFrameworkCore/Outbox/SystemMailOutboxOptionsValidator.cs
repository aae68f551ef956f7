using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SystemMail.EntityFrameworkCore;

/// <summary>Names every problem of the outbox's options at start-up, and a missing Data Protection that would leave bodies in clear.</summary>
internal sealed class SystemMailOutboxOptionsValidator : IValidateOptions<SystemMailOutboxOptions>
{
    private readonly IServiceProviderIsService? _isService;

    public SystemMailOutboxOptionsValidator(IServiceProvider services)
    {
        _isService = services.GetService<IServiceProviderIsService>();
    }

    public ValidateOptionsResult Validate(string? name, SystemMailOutboxOptions options)
    {
        var failures = new List<string>();
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            failures.AddRange(results.Select(r => $"SystemMail:Outbox: {r.ErrorMessage}"));
        }

        if (options.MaxRetryDelay < options.RetryDelay)
        {
            failures.Add($"SystemMail:Outbox: MaxRetryDelay ({options.MaxRetryDelay}) is shorter than RetryDelay ({options.RetryDelay}).");
        }

        if (_isService is not null && !_isService.IsService(typeof(IDataProtectionProvider)))
        {
            failures.Add("SystemMail's outbox keeps queued mails (with their live links and codes) protected with Data Protection, which is not registered: call services.AddDataProtection() with a key ring every instance shares.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
