using Microsoft.Extensions.Options;

namespace SystemMail.AspNetCore;

/// <summary>Lays the saved settings over the configuration's, after every <c>Configure</c> and before validation.</summary>
internal sealed class SavedSettingsPostConfigure : IPostConfigureOptions<SystemMailOptions>
{
    private readonly SystemMailSettingsManager _manager;

    public SavedSettingsPostConfigure(SystemMailSettingsManager manager)
    {
        _manager = manager;
    }

    public void PostConfigure(string? name, SystemMailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (name == Options.DefaultName)
        {
            _manager.Current.Settings?.ApplyTo(options);
        }
    }
}
