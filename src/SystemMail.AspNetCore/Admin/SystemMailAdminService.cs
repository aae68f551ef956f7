using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SystemMail.AspNetCore;

/// <summary>What the admin endpoints do, apart from HTTP: read, save and test settings.</summary>
internal sealed class SystemMailAdminService
{
    private readonly SystemMailSettingsManager _manager;
    private readonly SettingsComposer _composer;
    private readonly ISmtpProviderCatalog _catalog;
    private readonly IOAuthTokenService _tokens;
    private readonly SystemMailTester _tester;
    private readonly ILogger _logger;

    public SystemMailAdminService(
        SystemMailSettingsManager manager,
        SettingsComposer composer,
        ISmtpProviderCatalog catalog,
        IOAuthTokenService tokens,
        SystemMailTester tester,
        ILogger<SystemMailAdminService>? logger = null)
    {
        _manager = manager;
        _composer = composer;
        _catalog = catalog;
        _tokens = tokens;
        _tester = tester;
        _logger = logger ?? NullLogger<SystemMailAdminService>.Instance;
    }

    public ISmtpProviderCatalog Catalog => _catalog;

    /// <summary>The redirect URI to register at the provider: the configured one, else this request's callback URL.</summary>
    public Uri RedirectUri(Uri callback) => _composer.Compose(includeSaved: false).OAuth2?.RedirectUri ?? callback;

    public async Task<SettingsDocument> GetAsync(Uri callback, CancellationToken cancellationToken)
    {
        var snapshot = await _manager.ReloadAsync(cancellationToken).ConfigureAwait(false);
        return SettingsMapper.ToDocument(_composer.Compose(includeSaved: true), _catalog, snapshot.Version, RedirectUri(callback));
    }

    public async Task<SaveResult> SaveAsync(SettingsInput input, Uri callback, CancellationToken cancellationToken)
    {
        var snapshot = await _manager.ReloadAsync(cancellationToken).ConfigureAwait(false);
        var current = _composer.Compose(includeSaved: true);
        var configuredRedirectUri = _composer.Compose(includeSaved: false).OAuth2?.RedirectUri;

        // The configured redirect URI wins; otherwise the one of the page's own callback, as the page showed it.
        var stored = SettingsMapper.ToStored(input, current, _catalog, configuredRedirectUri is null ? callback : null, out var withheld);
        var candidate = _composer.Compose(includeSaved: false, stored);
        if (_composer.Validate(candidate) is { Count: > 0 } failures)
        {
            return SaveResult.Invalid(SettingsMapper.ExplainWithheld(SettingsMapper.ToErrors(failures), withheld));
        }

        var changes = SettingsMapper.ProviderInformationChanges(current, candidate);
        var hadTokens = changes.Count > 0 && await HasTokensAsync(cancellationToken).ConfigureAwait(false);

        var saved = await _manager.TrySaveAsync(stored, input.Version ?? snapshot.Version, cancellationToken).ConfigureAwait(false);
        if (saved is null)
        {
            Log.SaveConflict(_logger);
            return SaveResult.Conflict;
        }

        if (changes.Count > 0)
        {
            // The seed's rule, applied at once rather than at the next mail: new provider information, new consent.
            await _tokens.ClearTokensAsync(cancellationToken).ConfigureAwait(false);
            if (hadTokens)
            {
                var described = string.Join(", ", changes);
                Log.TokensDiscarded(_logger, described);
            }
        }

        var document = SettingsMapper.ToDocument(_composer.Compose(includeSaved: true), _catalog, saved.Version, RedirectUri(callback));
        document.TokensDiscarded = hadTokens;
        return SaveResult.Saved(document);
    }

    /// <summary>The options a test runs with: the form's values over the saved ones (blank secrets kept), or the saved settings.</summary>
    public async Task<TestPlan> PlanTestAsync(SettingsInput? form, Uri callback, CancellationToken cancellationToken)
    {
        await _manager.ReloadAsync(cancellationToken).ConfigureAwait(false);
        var current = _composer.Compose(includeSaved: true);
        var candidate = current;
        IReadOnlyList<string> withheld = [];
        if (form is not null)
        {
            var configuredRedirectUri = _composer.Compose(includeSaved: false).OAuth2?.RedirectUri;
            candidate = _composer.Compose(includeSaved: false, SettingsMapper.ToStored(form, current, _catalog, configuredRedirectUri is null ? callback : null, out withheld));
        }

        if (_composer.Validate(candidate) is { Count: > 0 } failures)
        {
            return new TestPlan(null, form is not null, false, SettingsMapper.ExplainWithheld(SettingsMapper.ToErrors(failures), withheld));
        }

        return new TestPlan(candidate, form is not null, SettingsMapper.ProviderInformationChanges(current, candidate).Count == 0, null);
    }

    public Task<TestReportDocument> TestConnectionAsync(TestPlan plan, CancellationToken cancellationToken) =>
        _tester.TestConnectionAsync(plan, cancellationToken);

    public Task<TestReportDocument> SendTestMailAsync(TestPlan plan, string recipient, CultureInfo? culture, CancellationToken cancellationToken) =>
        _tester.SendTestMailAsync(plan, recipient, culture, cancellationToken);

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
