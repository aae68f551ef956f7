using Microsoft.Extensions.Options;

namespace SystemMail;

/// <summary>
/// Builds <see cref="SystemMailOptions"/> with the registered setups, post-configures and validators, the way
/// <see cref="IOptionsMonitor{TOptions}"/> does, for settings it does not hold: a form's unsaved change, or settings
/// to show even when they fail validation.
/// </summary>
internal sealed class UnsavedSettingsFactory
{
    private readonly IEnumerable<IConfigureOptions<SystemMailOptions>> _setups;
    private readonly IEnumerable<IPostConfigureOptions<SystemMailOptions>> _postConfigures;
    private readonly IEnumerable<IValidateOptions<SystemMailOptions>> _validations;
    private readonly ISmtpProviderCatalog _catalog;

    public UnsavedSettingsFactory(
        IEnumerable<IConfigureOptions<SystemMailOptions>> setups,
        IEnumerable<IPostConfigureOptions<SystemMailOptions>> postConfigures,
        IEnumerable<IValidateOptions<SystemMailOptions>> validations,
        ISmtpProviderCatalog catalog)
    {
        _setups = setups;
        _postConfigures = postConfigures;
        _validations = validations;
        _catalog = catalog;
    }

    /// <summary>The current settings with <paramref name="change"/> laid over them, validated, stored secrets kept by the destination rule.</summary>
    public UnsavedSettings Create(Action<SystemMailOptions> change) =>
        UnsavedSettings.Build(_setups, _postConfigures, _validations, _catalog, change);

    /// <summary>The settings without validation, with only the post-configures <paramref name="include"/> accepts.</summary>
    public SystemMailOptions CreateUnvalidated(Func<IPostConfigureOptions<SystemMailOptions>, bool>? include = null) =>
        new OptionsFactory<SystemMailOptions>(_setups, include is null ? _postConfigures : _postConfigures.Where(include), []).Create(Options.DefaultName);
}
