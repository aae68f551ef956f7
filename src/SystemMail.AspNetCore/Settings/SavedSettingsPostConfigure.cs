using Microsoft.Extensions.Options;

namespace SystemMail.AspNetCore;

/// <summary>
/// Lays the saved settings over the configuration's, after every <c>Configure</c> and before validation, first
/// recording where the configuration pointed (<see cref="OperatorDestinations"/>): the destinations the page changed are
/// checked on connect. The page cannot change <see cref="SystemMailOptions.AllowedDestinations"/>.
/// </summary>
internal sealed class SavedSettingsPostConfigure : IPostConfigureOptions<SystemMailOptions>
{
    private readonly SystemMailSettingsManager _manager;
    private readonly ISmtpProviderCatalog _catalog;

    public SavedSettingsPostConfigure(SystemMailSettingsManager manager, ISmtpProviderCatalog catalog)
    {
        _manager = manager;
        _catalog = catalog;
    }

    public void PostConfigure(string? name, SystemMailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (name == Options.DefaultName && _manager.Current.Settings is { } saved)
        {
            OperatorDestinations.Capture(options, _catalog);
            var allowed = options.AllowedDestinations?.ToList() ?? [];
            saved.ApplyTo(options);
            options.AllowedDestinations = allowed;
        }
    }
}
