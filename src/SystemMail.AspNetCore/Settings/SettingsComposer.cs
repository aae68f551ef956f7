using Microsoft.Extensions.Options;

namespace SystemMail.AspNetCore;

/// <summary>
/// Builds <see cref="SystemMailOptions"/> the way the options factory does, without validating and with a choice of
/// what lies over the configuration: the saved settings, a form's unsaved values, or nothing.
/// </summary>
internal sealed class SettingsComposer
{
    private readonly IEnumerable<IConfigureOptions<SystemMailOptions>> _setups;
    private readonly IEnumerable<IPostConfigureOptions<SystemMailOptions>> _postConfigures;
    private readonly IEnumerable<IValidateOptions<SystemMailOptions>> _validations;

    public SettingsComposer(
        IEnumerable<IConfigureOptions<SystemMailOptions>> setups,
        IEnumerable<IPostConfigureOptions<SystemMailOptions>> postConfigures,
        IEnumerable<IValidateOptions<SystemMailOptions>> validations)
    {
        _setups = setups;
        _postConfigures = postConfigures;
        _validations = validations;
    }

    /// <summary>The options from configuration and code, with the saved settings when <paramref name="includeSaved"/>, then <paramref name="overlay"/>.</summary>
    public SystemMailOptions Compose(bool includeSaved, StoredMailSettings? overlay = null)
    {
        var name = Options.DefaultName;
        var options = new SystemMailOptions();
        foreach (var setup in _setups)
        {
            if (setup is IConfigureNamedOptions<SystemMailOptions> named)
            {
                named.Configure(name, options);
            }
            else
            {
                setup.Configure(options);
            }
        }

        foreach (var post in _postConfigures)
        {
            if (includeSaved || post is not SavedSettingsPostConfigure)
            {
                post.PostConfigure(name, options);
            }
        }

        overlay?.ApplyTo(options);
        return options;
    }

    /// <summary>Runs every registered validator, SystemMail's and the host's.</summary>
    public IReadOnlyList<string> Validate(SystemMailOptions options)
    {
        var failures = new List<string>();
        foreach (var validation in _validations)
        {
            var result = validation.Validate(Options.DefaultName, options);
            if (result.Failed)
            {
                failures.AddRange(result.Failures ?? [result.FailureMessage]);
            }
        }

        return failures;
    }
}
