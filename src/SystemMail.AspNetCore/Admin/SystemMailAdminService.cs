using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SystemMail.AspNetCore;

/// <summary>What the admin endpoints do, apart from HTTP: read, save and test settings.</summary>
internal sealed class SystemMailAdminService
{
    private readonly SystemMailSettingsManager _manager;
    private readonly UnsavedSettingsFactory _settings;
    private readonly ISmtpProviderCatalog _catalog;
    private readonly IOAuthTokenService _tokens;
    private readonly ISystemMailDiagnostics _diagnostics;
    private readonly ILogger _logger;

    public SystemMailAdminService(
        SystemMailSettingsManager manager,
        UnsavedSettingsFactory settings,
        ISmtpProviderCatalog catalog,
        IOAuthTokenService tokens,
        ISystemMailDiagnostics diagnostics,
        ILogger<SystemMailAdminService>? logger = null)
    {
        _manager = manager;
        _settings = settings;
        _catalog = catalog;
        _tokens = tokens;
        _diagnostics = diagnostics;
        _logger = logger ?? NullLogger<SystemMailAdminService>.Instance;
    }

    public ISmtpProviderCatalog Catalog => _catalog;

    /// <summary>
    /// The redirect URI to register at the provider: the configured one, else the callback under the configured public
    /// base URL (<see cref="SystemMailAdminOptions.PublicBaseUrl"/>); never one made from a request's <c>Host</c>.
    /// </summary>
    public Uri? RedirectUri(Uri? callback) => ConfiguredRedirectUri() ?? callback;

    public async Task<SettingsDocument> GetAsync(string callbackPath, CancellationToken cancellationToken)
    {
        var snapshot = await _manager.ReloadAsync(cancellationToken).ConfigureAwait(false);
        var document = SettingsMapper.ToDocument(_settings.CreateUnvalidated(), _catalog, snapshot.Version, ConfiguredRedirectUri() is not null, callbackPath);
        document.SavedSettingsError = snapshot.Problem;
        return document;
    }

    public async Task<SaveResult> SaveAsync(SettingsInput input, Uri? callback, string callbackPath, CultureInfo culture, string administrator, CancellationToken cancellationToken)
    {
        var snapshot = await _manager.ReloadAsync(cancellationToken).ConfigureAwait(false);
        var current = _settings.CreateUnvalidated();

        // The configured redirect URI wins; otherwise the one the form composed from the public base URL, else this callback's.
        var configuredRedirectUri = ConfiguredRedirectUri();
        var stored = SettingsMapper.ToStored(input, current, _catalog, FormRedirectUri(input, callback));
        var unsaved = _settings.Create(stored.ApplyTo);
        if (unsaved.Options is not { } candidate)
        {
            // In the administrator's language; the same problems as start-up validation names in English.
            var errors = SettingsMapper.ExplainWithheld(SettingsMapper.ToErrors(unsaved.Errors, culture), unsaved.StoredSecretsWithheld, culture);
            if (callback is null && configuredRedirectUri is null && errors.TryGetValue("oauth2.redirectUri", out var messages))
            {
                errors["oauth2.redirectUri"] = [.. messages, MissingRedirectUri.Text(culture)];
            }

            return SaveResult.Invalid(errors);
        }

        // What the destination rule kept is saved; what it withheld was refused above.
        stored.Password = candidate.Password;
        stored.ClientSecret = candidate.OAuth2?.ClientSecret;
        stored.ServiceAccountKey = candidate.OAuth2?.ServiceAccountKey;
        stored.ProxyPassword = candidate.Proxy?.Password;

        var changes = OAuthSettings.TokenChanges(current, candidate, _catalog);
        var hadTokens = changes.Count > 0 && await HasTokensAsync(cancellationToken).ConfigureAwait(false);

        var saved = await _manager.TrySaveAsync(stored, input.Version ?? snapshot.Version, cancellationToken).ConfigureAwait(false);
        if (saved is null)
        {
            Log.SaveConflict(_logger);
            return SaveResult.Conflict;
        }

        var changedFields = SettingsChanges.Describe(current, candidate);
        Log.AuditSettingsSaved(_logger, administrator, saved.Version!, changedFields);
        if (changes.Count > 0)
        {
            // Applied at once rather than at the next mail: a new destination or client secret, a new consent.
            var described = string.Join(", ", changes);
            await _tokens.ClearTokensAsync(administrator, $"The provider information changed ({described}) in a save by {administrator}; the stored tokens were deleted.", cancellationToken).ConfigureAwait(false);
            if (hadTokens)
            {
                Log.TokensDiscarded(_logger, described);
                Log.AuditTokensCleared(_logger, administrator, "provider information changed: " + described);
            }
        }

        var document = SettingsMapper.ToDocument(_settings.CreateUnvalidated(), _catalog, saved.Version, configuredRedirectUri is not null, callbackPath);
        document.TokensDiscarded = hadTokens;
        return SaveResult.Saved(document);
    }

    /// <summary>
    /// "Test connection": with the saved settings, or with the form's unsaved values over them. The report comes from
    /// <see cref="ISystemMailDiagnostics"/>, which fills in a secret the form left blank only where it would go where it
    /// was saved for, checks the settings (a failed <see cref="SmtpDiagnosticStage.Settings"/> stage when they are
    /// invalid) and never touches the pooled connections or the tokens of other settings.
    /// </summary>
    public async Task<SmtpDiagnosticReport> TestConnectionAsync(SettingsInput? form, Uri? callback, CultureInfo? culture, string administrator, CancellationToken cancellationToken) =>
        await Unsaved(form, callback, "test connection", administrator, cancellationToken).ConfigureAwait(false) is { } unsaved
            ? await _diagnostics.TestConnectionAsync(unsaved, culture, cancellationToken).ConfigureAwait(false)
            : await _diagnostics.TestConnectionAsync(culture, cancellationToken).ConfigureAwait(false);

    /// <summary>"Send test email", like <see cref="TestConnectionAsync"/> up to the server accepting the mail.</summary>
    /// <exception cref="ArgumentException"><paramref name="recipient"/> is not a mail address.</exception>
    public async Task<SmtpDiagnosticReport> SendTestMailAsync(SettingsInput? form, string recipient, Uri? callback, CultureInfo? culture, string administrator, CancellationToken cancellationToken) =>
        await Unsaved(form, callback, "send test email", administrator, cancellationToken).ConfigureAwait(false) is { } unsaved
            ? await _diagnostics.SendTestMailAsync(recipient, unsaved, culture, cancellationToken).ConfigureAwait(false)
            : await _diagnostics.SendTestMailAsync(recipient, culture, cancellationToken).ConfigureAwait(false);

    /// <summary>The form's values as a change to the settings (secrets left blank for the destination rule), or <see langword="null"/> for the saved settings.</summary>
    private async Task<Action<SystemMailOptions>?> Unsaved(SettingsInput? form, Uri? callback, string test, string administrator, CancellationToken cancellationToken)
    {
        await _manager.ReloadAsync(cancellationToken).ConfigureAwait(false);
        if (form is null)
        {
            Log.AuditTestRun(_logger, administrator, test, "none");
            return null;
        }

        var current = _settings.CreateUnvalidated();
        var stored = SettingsMapper.ToStored(form, current, _catalog, FormRedirectUri(form, callback));
        var tested = _settings.CreateUnvalidated();
        stored.ApplyTo(tested);
        var changedFields = SettingsChanges.Describe(current, tested, blankSecretsKept: true);
        Log.AuditTestRun(_logger, administrator, test, changedFields);
        return stored.ApplyTo;
    }

    /// <summary>
    /// The redirect URI a form's settings get: none over a configured one; else the one the page composed from the public
    /// base URL the administrator chose; else the callback under <see cref="SystemMailAdminOptions.PublicBaseUrl"/>, if
    /// set. Never one made from the request's <c>Host</c> header.
    /// </summary>
    private Uri? FormRedirectUri(SettingsInput form, Uri? callback) =>
        ConfiguredRedirectUri() is null ? SettingsMapper.RedirectUri(form) ?? callback : null;

    /// <summary>Clears the OAuth2 tokens on the administrator's word; the status then names them.</summary>
    public async Task ClearTokensAsync(string administrator, CancellationToken cancellationToken)
    {
        var status = await _tokens.ClearTokensAsync(administrator, cancellationToken: cancellationToken).ConfigureAwait(false);
        Log.AuditTokensCleared(_logger, administrator, status.Reason ?? "cleared");
    }

    /// <summary>What to set when the page has no redirect URI to offer.</summary>
    internal static readonly ValidationMessage MissingRedirectUri = new("PublicBaseUrlMissing");

    /// <summary>The redirect URI set in configuration or code, not on the page.</summary>
    private Uri? ConfiguredRedirectUri() => _settings.CreateUnvalidated(p => p is not SavedSettingsPostConfigure).OAuth2?.RedirectUri;

    private async Task<bool> HasTokensAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await _tokens.GetStatusAsync(cancellationToken).ConfigureAwait(false)).State != OAuthTokenState.NotGenerated;
        }
        catch (SystemMailException)
        {
            // The current settings are unusable: whatever is stored goes anyway.
            return false;
        }
    }


    /// <summary>The outcome of a save.</summary>
    internal sealed record SaveResult(SettingsDocument? Document, Dictionary<string, string[]>? Errors, bool IsConflict)
    {
        public static SaveResult Conflict { get; } = new(null, null, true);

        public static SaveResult Saved(SettingsDocument document) => new(document, null, false);

        public static SaveResult Invalid(Dictionary<string, string[]> errors) => new(null, errors, false);
    }
}
