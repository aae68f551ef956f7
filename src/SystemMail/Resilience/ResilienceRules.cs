namespace SystemMail;

/// <summary>
/// The retry and rate-limit rules across settings; the range of each single setting is an attribute on
/// <see cref="SmtpRetryOptions"/> and <see cref="SmtpRateLimitOptions"/>.
/// </summary>
internal static class ResilienceRules
{
    public static void Validate(SystemMailOptions options, ValidationErrors errors)
    {
        if (options.Retry is { } retry && retry.MaxDelay < retry.Delay)
        {
            errors.Add("Retry.MaxDelay", "RetryMaxDelayTooShort", retry.Delay, retry.MaxDelay);
        }
    }

    /// <summary>
    /// A limit set in part takes the rest from the template's (as <see cref="SendPolicy.EffectiveLimit"/> does); without a
    /// template limit, half a limit paces nothing, so the missing half is reported.
    /// </summary>
    public static void ValidateSendingLimit(SystemMailOptions options, ISmtpProviderTemplate template, ValidationErrors errors)
    {
        if (options.RateLimit is not { Enabled: true } rate || template.SendingLimit is not null)
        {
            return;
        }

        if (rate.PermitLimit is not null && rate.Window is null)
        {
            errors.Add("RateLimit.Window", "RateLimitWindowRequired", template.DisplayName);
        }
        else if (rate.Window is not null && rate.PermitLimit is null)
        {
            errors.Add("RateLimit.PermitLimit", "RateLimitPermitLimitRequired", template.DisplayName);
        }
    }
}
