using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace SystemMail;

/// <summary>
/// Holds the current <see cref="MailGeneration"/>, the one place where the settings of the current options are kept:
/// built at first use, built again when the options change, swapped in atomically, and the old one retired.
/// </summary>
/// <remarks>
/// The next generation is built when <see cref="IOptionsMonitor{TOptions}.OnChange"/> reports the default options,
/// so the old generation's idle connections close even when no mail follows; and at first use after a reload, which
/// the monitor reports only when the new options pass validation. Options that fail it make every use raise a
/// configuration-kind error until they are fixed, and retire the generation in place: nothing stays connected with
/// settings that are no longer the configured ones.
/// </remarks>
internal sealed class SmtpSettingsSource : IAsyncDisposable, IDisposable
{
    private readonly IOptionsMonitor<SystemMailOptions> _options;
    private readonly ISmtpProviderCatalog _catalog;
    private readonly TimeProvider _time;
    private readonly SystemMailTelemetry _telemetry;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly IDisposable? _changeSubscription;
    private MailGeneration? _current;
    private bool _disposed;

    public SmtpSettingsSource(
        IOptionsMonitor<SystemMailOptions> options,
        ISmtpProviderCatalog catalog,
        TimeProvider time,
        SystemMailTelemetry telemetry,
        ILogger<SmtpSettingsSource>? logger = null)
    {
        _options = options;
        _catalog = catalog;
        _time = time;
        _telemetry = telemetry;
        _logger = logger ?? NullLogger<SmtpSettingsSource>.Instance;
        _changeSubscription = OnChange(Refresh);
    }

    /// <summary>Gets the current settings; a reloaded configuration that fails validation raises a configuration-kind error.</summary>
    public SmtpSettings Current => CurrentGeneration.Settings;

    /// <summary>Gets the current generation; a reloaded configuration that fails validation raises a configuration-kind error.</summary>
    public MailGeneration CurrentGeneration
    {
        get
        {
            var current = Volatile.Read(ref _current);
            var options = CurrentOptions();
            return current is not null && ReferenceEquals(current.Settings.Options, options) ? current : Install();
        }
    }

    /// <summary>Gets the generation installed last, without looking at the options; <see langword="null"/> before the first use.</summary>
    public MailGeneration? Installed => Volatile.Read(ref _current);

    /// <summary>Registers a callback for changes of the default options.</summary>
    public IDisposable? OnChange(Action listener) => _options.OnChange((_, name) =>
    {
        if (name == Options.DefaultName)
        {
            listener();
        }
    });

    public async ValueTask DisposeAsync()
    {
        if (Shutdown() is { } last)
        {
            await Task.WhenAll(last.Retire("disposed").Select(c => c.QuitAsync("disposed"))).ConfigureAwait(false);
        }
    }

    public void Dispose() => Shutdown()?.Dispose();

    private MailGeneration Install()
    {
        MailGeneration next;
        MailGeneration? replaced;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);

            // The options are read again under the lock: ones read before it may be older than the generation another
            // thread installed meanwhile, and must not replace it.
            var options = CurrentOptions();
            if (_current is { } current && ReferenceEquals(current.Settings.Options, options))
            {
                return current;
            }

            next = new MailGeneration(SmtpSettings.Create(options, _catalog), _time, _telemetry, _logger);
            replaced = _current;
            Volatile.Write(ref _current, next);
        }

        if (replaced is not null)
        {
            Log.SettingsChanged(_logger, next.Settings.Template.Id, next.Settings.Endpoint);
            Retire(replaced);
        }

        return next;
    }

    private SystemMailOptions CurrentOptions()
    {
        try
        {
            return _options.CurrentValue;
        }
        catch (OptionsValidationException ex)
        {
            MailGeneration? replaced;
            lock (_lock)
            {
                replaced = _current;
                Volatile.Write(ref _current, null);
            }

            if (replaced is not null)
            {
                Retire(replaced);
            }

            throw new SystemMailException(
                SystemMailErrorKind.Configuration,
                "The mail settings are invalid: " + string.Join(" ", ex.Failures),
                Hints.InvalidSettings,
                innerException: ex);
        }
    }

    /// <summary>Installs the changed options' generation now, so the old one's idle connections close without waiting for a mail.</summary>
    private void Refresh()
    {
        try
        {
            _ = CurrentGeneration;
        }
        catch (Exception ex) when (ex is SystemMailException or ObjectDisposedException)
        {
            // Reported to the next send; a configuration reload must not fail because of it.
        }
    }

    private static void Retire(MailGeneration generation)
    {
        foreach (var connection in generation.Retire("settings changed"))
        {
            _ = connection.QuitAsync("settings changed");
        }
    }

    private MailGeneration? Shutdown()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return null;
            }

            _disposed = true;
            _changeSubscription?.Dispose();
            var last = _current;
            Volatile.Write(ref _current, null);
            return last;
        }
    }
}
