using Microsoft.Extensions.Options;

namespace SystemMail;

/// <summary>The effective settings of the current options, rebuilt only when the options change.</summary>
internal sealed class SmtpSettingsSource
{
    private readonly IOptionsMonitor<SystemMailOptions> _options;
    private readonly ISmtpProviderCatalog _catalog;
    private readonly Lock _lock = new();
    private SmtpSettings? _current;

    public SmtpSettingsSource(IOptionsMonitor<SystemMailOptions> options, ISmtpProviderCatalog catalog)
    {
        _options = options;
        _catalog = catalog;
    }

    /// <summary>Gets the current settings; a reloaded configuration that fails validation raises a configuration-kind error.</summary>
    public SmtpSettings Current
    {
        get
        {
            var current = Volatile.Read(ref _current);
            if (current is not null && ReferenceEquals(current.Options, CurrentOptions()))
            {
                return current;
            }

            lock (_lock)
            {
                // The options are read again under the lock: ones read before it may be older than the settings
                // another thread built meanwhile, and must not replace them.
                var options = CurrentOptions();
                if (_current is null || !ReferenceEquals(_current.Options, options))
                {
                    Volatile.Write(ref _current, SmtpSettings.Create(options, _catalog));
                }

                return _current!;
            }
        }
    }

    private SystemMailOptions CurrentOptions()
    {
        try
        {
            return _options.CurrentValue;
        }
        catch (OptionsValidationException ex)
        {
            throw new SystemMailException(
                SystemMailErrorKind.Configuration,
                "The mail settings are invalid: " + string.Join(" ", ex.Failures),
                Hints.InvalidSettings,
                innerException: ex);
        }
    }

    /// <summary>Registers a callback for option changes.</summary>
    public IDisposable? OnChange(Action listener) => _options.OnChange((_, name) =>
    {
        if (name == Options.DefaultName)
        {
            listener();
        }
    });
}
