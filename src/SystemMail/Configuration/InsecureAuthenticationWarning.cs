using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace SystemMail;

/// <summary>
/// Warns (event id 1400) while settings in effect send credentials unencrypted off this machine, as
/// <see cref="SystemMailOptions.AllowInsecureAuthentication"/> allows: once when the host starts, and again when a change
/// (a configuration reload, a save on the settings page) brings such settings to another destination.
/// </summary>
/// <remarks>
/// Not from a validator: validators also run for every candidate that never takes effect (each unsaved test, each save
/// attempt). Here the options the host validated at start are read from the monitor's cache, and again only when they
/// change, so the warning costs nothing on the way of a mail.
/// </remarks>
internal sealed class InsecureAuthenticationWarning : IHostedService, IDisposable
{
    private readonly IOptionsMonitor<SystemMailOptions> _options;
    private readonly ISmtpProviderCatalog _catalog;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private SmtpDestination? _warned;
    private IDisposable? _changes;

    public InsecureAuthenticationWarning(IOptionsMonitor<SystemMailOptions> options, ISmtpProviderCatalog catalog, ILogger<InsecureAuthenticationWarning>? logger = null)
    {
        _options = options;
        _catalog = catalog;
        _logger = logger ?? NullLogger<InsecureAuthenticationWarning>.Instance;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _changes = _options.OnChange((options, name) =>
        {
            if (name == Options.DefaultName)
            {
                Check(options);
            }
        });

        try
        {
            Check(_options.CurrentValue);
        }
        catch (OptionsValidationException)
        {
            // Start-up validation reports invalid settings; there is nothing in effect to warn about.
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => Interlocked.Exchange(ref _changes, null)?.Dispose();

    private void Check(SystemMailOptions options)
    {
        var destination = options.AllowInsecureAuthentication && _catalog.TryGet(options.Provider, out var template)
            ? SmtpDestination.Of(options, template)
            : null;
        if (destination is not null && !InsecureAuthenticationRules.SendsCredentialsInClear(destination, options.Authentication))
        {
            destination = null;
        }

        lock (_lock)
        {
            if (destination is null || destination.Equals(_warned))
            {
                _warned = destination;
                return;
            }

            _warned = destination;
        }

        Log.InsecureAuthenticationInUse(_logger, options.Authentication, $"{destination.Host}:{destination.Port}");
    }
}
