using Microsoft.Extensions.Options;

namespace SystemMail;

/// <summary>The effective settings of the current options, rebuilt only when the options change.</summary>
internal sealed class SmtpSettingsSource
{
    private readonly IOptionsMonitor<SystemMailOptions> _options;
    private readonly ISmtpProviderCatalog _catalog;
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
            SystemMailOptions options;
            try
            {
                options = _options.CurrentValue;
            }
            catch (OptionsValidationException ex)
            {
                throw new SystemMailException(
                    SystemMailErrorKind.Configuration,
                    "The mail settings are invalid: " + string.Join(" ", ex.Failures),
                    Hints.InvalidSettings,
                    innerException: ex);
            }

            var current = Volatile.Read(ref _current);
            if (current is not null && ReferenceEquals(current.Options, options))
            {
                return current;
            }

            var next = SmtpSettings.Create(options, _catalog);
            Interlocked.CompareExchange(ref _current, next, current);
            return Volatile.Read(ref _current)!;
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
