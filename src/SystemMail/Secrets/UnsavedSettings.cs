using Microsoft.Extensions.Options;

namespace SystemMail;

/// <summary>
/// Settings a form has not saved yet, built by the options factory like the saved ones (configuration, the host's
/// code, the saved settings, then the form's change) and validated by the same validators, with the one rule for
/// stored secrets: the change starts with every secret blank, and a secret it leaves blank is the stored one only
/// when the <see cref="SmtpDestination"/> is unchanged.
/// </summary>
internal sealed class UnsavedSettings : IPostConfigureOptions<SystemMailOptions>
{
    internal const string Password = nameof(SystemMailOptions.Password);
    internal const string ClientSecret = "OAuth2.ClientSecret";
    internal const string ProxyPassword = "Proxy.Password";
    internal const string ServiceAccountKey = "OAuth2.ServiceAccountKey";

    private readonly Action<SystemMailOptions> _change;
    private readonly ISmtpProviderCatalog _catalog;
    private readonly List<string> _used = [];
    private readonly List<string> _withheld = [];

    private UnsavedSettings(Action<SystemMailOptions> change, ISmtpProviderCatalog catalog)
    {
        _change = change;
        _catalog = catalog;
    }

    /// <summary>Gets the settings, or <see langword="null"/> when they failed validation (<see cref="Failures"/>).</summary>
    public SystemMailOptions? Options { get; private set; }

    /// <summary>Gets every validation failure, all of them, as start-up validation names them (in English).</summary>
    public IReadOnlyList<string> Failures { get; private set; } = [];

    /// <summary>
    /// Gets the same failures with their settings and message ids, to show in the administrator's language; a failure
    /// of a validator without ids (an attribute's, a host's own) is a <see cref="ValidationMessage.Verbatim"/> one.
    /// </summary>
    public IReadOnlyList<ValidationError> Errors { get; private set; } = [];

    /// <summary>Gets the settings (as option paths, such as <c>Proxy.Password</c>) whose stored secret was kept.</summary>
    public IReadOnlyList<string> StoredSecretsUsed => _used;

    /// <summary>Gets the settings left blank whose stored secret was not kept, because the destination changed.</summary>
    public IReadOnlyList<string> StoredSecretsWithheld => _withheld;

    /// <summary>Gets the destination of the settings before the change: where the stored secrets were saved for.</summary>
    public SmtpDestination? SavedDestination { get; private set; }

    /// <summary>Builds the settings with <paramref name="change"/> applied last, through an <see cref="OptionsFactory{TOptions}"/>.</summary>
    public static UnsavedSettings Build(
        IEnumerable<IConfigureOptions<SystemMailOptions>> setups,
        IEnumerable<IPostConfigureOptions<SystemMailOptions>> postConfigures,
        IEnumerable<IValidateOptions<SystemMailOptions>> validations,
        ISmtpProviderCatalog catalog,
        Action<SystemMailOptions> change)
    {
        var unsaved = new UnsavedSettings(change, catalog);
        var name = Microsoft.Extensions.Options.Options.DefaultName;
        var options = new OptionsFactory<SystemMailOptions>(setups, postConfigures.Append(unsaved), []).Create(name);

        // The validators in the options factory's order, as it runs them; the rules keep their message ids.
        var errors = new List<ValidationError>();
        var failures = new List<string>();
        foreach (var validation in validations)
        {
            if (validation is SystemMailOptionsValidator rules)
            {
                var found = rules.Check(options).All;
                errors.AddRange(found);
                failures.AddRange(found.Select(e => e.ToString()));
            }
            else if (validation.Validate(name, options) is { Failed: true } result)
            {
                var found = result.Failures ?? [result.FailureMessage];
                errors.AddRange(found.Select(AttributeFailures.Read));
                failures.AddRange(found);
            }
        }

        unsaved.Errors = errors;
        unsaved.Failures = failures;
        unsaved.Options = errors.Count == 0 ? options : null;
        return unsaved;
    }

    void IPostConfigureOptions<SystemMailOptions>.PostConfigure(string? name, SystemMailOptions options)
    {
        SavedDestination = SmtpDestination.Of(options, _catalog);
        var password = options.Password;
        var clientSecret = options.OAuth2?.ClientSecret;
        var proxyPassword = options.Proxy?.Password;
        var serviceAccountKey = options.OAuth2?.ServiceAccountKey;
        options.Password = null;
        options.OAuth2?.ClientSecret = null;
        options.OAuth2?.ServiceAccountKey = null;
        options.Proxy?.Password = null;

        // The host's configuration stays the judge of where a form may point: recorded before the change, kept after it.
        OperatorDestinations.Capture(options, _catalog);
        var allowed = options.AllowedDestinations?.ToList() ?? [];
        var trusted = options.OperatorDestinations;
        _change(options);
        options.AllowedDestinations = allowed;
        options.OperatorDestinations = trusted;

        var same = SavedDestination is not null && SavedDestination.Equals(SmtpDestination.Of(options, _catalog));
        if (options.Authentication == SmtpAuthenticationType.Basic && Keep(Password, options.Password, password, same))
        {
            options.Password = password;
        }

        if (options.Authentication == SmtpAuthenticationType.OAuth2 && options.OAuth2 is { } oauth2 && Keep(ClientSecret, oauth2.ClientSecret, clientSecret, same))
        {
            oauth2.ClientSecret = clientSecret;
        }

        if (options.Authentication == SmtpAuthenticationType.OAuth2 && options.OAuth2 is { Flow: OAuthFlow.ServiceAccount } withKey &&
            Keep(ServiceAccountKey, withKey.ServiceAccountKey, serviceAccountKey, same))
        {
            withKey.ServiceAccountKey = serviceAccountKey;
        }

        if (options.Proxy is { Username.Length: > 0 } proxy && Keep(ProxyPassword, proxy.Password, proxyPassword, same))
        {
            proxy.Password = proxyPassword;
        }
    }

    /// <summary>Whether a secret the change left blank takes the stored one; notes the answer either way.</summary>
    private bool Keep(string setting, string? entered, string? stored, bool sameDestination)
    {
        if (!string.IsNullOrEmpty(entered) || string.IsNullOrEmpty(stored))
        {
            return false;
        }

        (sameDestination ? _used : _withheld).Add(setting);
        return sameDestination;
    }
}
