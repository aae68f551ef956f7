using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace SystemMail.AspNetCore;

/// <summary>Reads the saved settings again every <see cref="SystemMailAdminOptions.SettingsReloadInterval"/>, for farms.</summary>
internal sealed class SavedSettingsReloader : BackgroundService
{
    private readonly SystemMailSettingsManager _manager;
    private readonly IOptions<SystemMailAdminOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public SavedSettingsReloader(SystemMailSettingsManager manager, IOptions<SystemMailAdminOptions> options, TimeProvider time, ILogger<SavedSettingsReloader>? logger = null)
    {
        _manager = manager;
        _options = options;
        _time = time;
        _logger = logger ?? NullLogger<SavedSettingsReloader>.Instance;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.Value.SettingsReloadInterval is not { } interval || interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, _time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await _manager.ReloadAsync(stoppingToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A store that fails now may answer at the next tick; mail goes on with the settings it has.
            catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
            {
                Log.SettingsReloadFailed(_logger, ex);
            }
        }
    }
}
