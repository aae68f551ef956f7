using Microsoft.Extensions.Options;

namespace SystemMail;

/// <summary>
/// The retry and rate-limit rules across settings; the range of each single setting is an attribute on
/// <see cref="SmtpRetryOptions"/> and <see cref="SmtpRateLimitOptions"/>.
/// </summary>
internal static class ResilienceRules
{
    public static void Validate(SystemMailOptions options, ValidateOptionsResultBuilder errors)
    {
        if (options.Retry is { } retry && retry.MaxDelay < retry.Delay)
        {
            errors.AddError($"must be at least Retry.Delay ({retry.Delay}); got {retry.MaxDelay}.", "Retry.MaxDelay");
        }
    }

    /// <summary>
    /// A limit set in part takes the rest from the template's (as <see cref="SendPolicy.EffectiveLimit"/> does); without a
    /// template limit, half a limit paces nothing, so the missing half is reported.
    /// </summary>
    public static void ValidateSendingLimit(SystemMailOptions options, ISmtpProviderTemplate template, ValidateOptionsResultBuilder errors)
    {
        if (options.RateLimit is not { Enabled: true } rate || template.SendingLimit is not null)
        {
            return;
        }

        if (rate.PermitLimit is not null && rate.Window is null)
        {
            errors.AddError(
                $"is required with RateLimit.PermitLimit: the {template.DisplayName} template has no sending limit to take the window from, so nothing would be paced.",
                "RateLimit.Window");
        }
        else if (rate.Window is not null && rate.PermitLimit is null)
        {
            errors.AddError(
                $"is required with RateLimit.Window: the {template.DisplayName} template has no sending limit to take the number of mails from, so nothing would be paced.",
                "RateLimit.PermitLimit");
        }
    }
}
