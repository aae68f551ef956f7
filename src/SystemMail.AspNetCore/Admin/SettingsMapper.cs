using System.Globalization;
using System.Security.Authentication;

namespace SystemMail.AspNetCore;

/// <summary>Between the page's JSON and the saved settings: secrets out as "set", blank secrets in as "keep".</summary>
internal static class SettingsMapper
{
    public static SettingsDocument ToDocument(SystemMailOptions options, ISmtpProviderCatalog catalog, string? version, bool redirectUriConfigured, string callbackPath)
    {
        catalog.TryGet(options.Provider, out var template);
        var owned = template is { AllowsCustomConnection: false };
        var oauth2 = options.OAuth2 ?? new SmtpOAuthOptions();
        var templateOAuth2 = template?.OAuth2;
        return new SettingsDocument
        {
            Version = version,
            From = options.From,
            Provider = template?.Id ?? options.Provider,
            Host = owned ? template!.Host : options.Host,
            Port = owned ? template!.Port : options.Port,
            Security = owned ? template!.Security : options.Security,
            MinimumTlsVersion = (owned ? template!.MinimumTlsVersion : options.MinimumTlsVersion)?.ToString(),
            TimeoutSeconds = (int)Math.Round(options.Timeout.TotalSeconds),
            Authentication = options.Authentication,
            Username = string.IsNullOrEmpty(options.Username) ? template?.FixedUsername : options.Username,
            PasswordSet = !string.IsNullOrEmpty(options.Password),
            OAuth2 = new OAuthDocument
            {
                ClientId = oauth2.ClientId,
                ClientSecretSet = !string.IsNullOrEmpty(oauth2.ClientSecret),
                ServiceAccountKeySet = !string.IsNullOrEmpty(oauth2.ServiceAccountKey),
                TenantId = oauth2.TenantId,
                AuthorizationEndpoint = templateOAuth2 is null ? oauth2.AuthorizationEndpoint : null,
                TokenEndpoint = templateOAuth2 is null ? oauth2.TokenEndpoint : null,
                Scopes = templateOAuth2 is null ? [.. oauth2.Scopes ?? []] : [.. templateOAuth2.Scopes],
                RedirectUri = oauth2.RedirectUri,
                RedirectUriConfigured = redirectUriConfigured,
                CallbackPath = callbackPath,
            },
            Proxy = options.Proxy is { Host: { Length: > 0 } } proxy
                ? new ProxyDocument { Type = proxy.Type, Host = proxy.Host, Port = proxy.Port, Username = proxy.Username, PasswordSet = !string.IsNullOrEmpty(proxy.Password) }
                : null,
        };
    }

    /// <summary>
    /// The form's values as settings to save (or to test). Secrets left blank stay blank here: the options system lays
    /// these over the current settings, and the destination rule alone decides whether a stored secret is kept
    /// (<see cref="UnsavedSettings"/>). Fields a provider template owns are not saved, so switching providers never
    /// trips over a stale host.
    /// </summary>
    public static StoredMailSettings ToStored(SettingsInput input, SystemMailOptions current, ISmtpProviderCatalog catalog, Uri? redirectUri)
    {
        var provider = string.IsNullOrWhiteSpace(input.Provider) ? current.Provider : input.Provider.Trim();
        catalog.TryGet(provider, out var template);
        var custom = template?.AllowsCustomConnection ?? true;
        var authentication = input.Authentication ?? current.Authentication;
        var oauth2 = input.OAuth2 ?? new OAuthInput();
        var templateOwnsOAuth2 = template?.OAuth2 is not null;

        var stored = new StoredMailSettings
        {
            From = Trim(input.From),
            Provider = template?.Id ?? provider,
            Host = custom ? Trim(input.Host) : null,
            Port = custom ? input.Port : null,
            Security = custom ? input.Security : null,
            MinimumTlsVersion = custom ? ParseTls(input.MinimumTlsVersion) : null,
            Timeout = input.TimeoutSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : current.Timeout,
            Authentication = authentication,
            ClientId = Trim(oauth2.ClientId),
            ClientSecret = oauth2.ClientSecret,
            ServiceAccountKey = oauth2.ServiceAccountKey,
            TenantId = Trim(oauth2.TenantId),
            AuthorizationEndpoint = templateOwnsOAuth2 ? null : ParseUri(oauth2.AuthorizationEndpoint),
            TokenEndpoint = templateOwnsOAuth2 ? null : ParseUri(oauth2.TokenEndpoint),
            Scopes = templateOwnsOAuth2 ? [] : [.. (oauth2.Scopes ?? []).Select(s => s.Trim()).Where(s => s.Length > 0)],
            RedirectUri = authentication == SmtpAuthenticationType.OAuth2 ? redirectUri : null,
        };

        // None rejects a user name and password (they would be ignored); the others keep what the form shows.
        if (authentication != SmtpAuthenticationType.None)
        {
            stored.Username = Trim(input.Username);
            stored.Password = input.Password;
        }

        if (input.Proxy is { } proxy && !string.IsNullOrWhiteSpace(proxy.Host))
        {
            stored.ProxyType = proxy.Type ?? SmtpProxyType.Socks5;
            stored.ProxyHost = proxy.Host.Trim();
            stored.ProxyPort = proxy.Port;
            stored.ProxyUsername = Trim(proxy.Username);
            stored.ProxyPassword = proxy.Password;
        }

        return stored;
    }

    /// <summary>Says why a secret left blank is required again, in place of the validator's plain "is required".</summary>
    public static Dictionary<string, string[]> ExplainWithheld(Dictionary<string, string[]> errors, IReadOnlyList<string> withheld, CultureInfo culture)
    {
        foreach (var key in withheld.Select(JsonPath).Where(errors.ContainsKey))
        {
            errors[key] = [new ValidationMessage("SecretEnteredAgain").Text(culture)];
        }

        return errors;
    }

    /// <summary>
    /// Turns validation failures into ProblemDetails errors keyed by JSON path: those of the rules across settings
    /// (<c>Property OAuth2.ClientId: is required…</c>) and those of the attributes, from the generated validator
    /// (<c>Delay: The field SystemMailOptions.Retry.Delay must be between…</c>), whose display name holds the path.
    /// </summary>
    public static Dictionary<string, string[]> ToErrors(IEnumerable<string> failures) =>
        Group(failures.Select(Split));

    /// <summary>
    /// Turns validation errors into ProblemDetails errors keyed by JSON path, each rule's message in
    /// <paramref name="culture"/>; a failure without a message id (an attribute's, a host's validator's) as
    /// <see cref="ToErrors(IEnumerable{string})"/> reads it.
    /// </summary>
    public static Dictionary<string, string[]> ToErrors(IEnumerable<ValidationError> errors, CultureInfo culture) =>
        Group(errors.Select(e => e.Property is { } property ? (JsonPath(property), e.Message.Text(culture)) : Split(e.Message.Text(culture))));

    private static Dictionary<string, string[]> Group(IEnumerable<(string Key, string Message)> errors) =>
        errors
            .GroupBy(e => e.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal);

    private static (string Key, string Message) Split(string failure)
    {
        const string Prefix = "Property ";
        const string AttributeMarker = ": The field ";
        if (failure.StartsWith(Prefix, StringComparison.Ordinal) && failure.IndexOf(": ", StringComparison.Ordinal) is var colon and > 0)
        {
            return (Key: JsonPath(failure[Prefix.Length..colon]), Message: failure[(colon + 2)..]);
        }

        // The display name is the options' name, then the path; it ends with the member the failure starts with.
        if (failure.IndexOf(AttributeMarker, StringComparison.Ordinal) is var marker and > 0)
        {
            var member = failure[..marker];
            var text = failure[(marker + AttributeMarker.Length)..];
            var space = text.IndexOf(' ', StringComparison.Ordinal);
            var display = space > 0 ? text[..space] : string.Empty;
            var path = display[(display.IndexOf('.', StringComparison.Ordinal) + 1)..];
            if (path.Length > 0 && (path == member || path.EndsWith("." + member, StringComparison.Ordinal)))
            {
                return (Key: JsonPath(path), Message: text[(space + 1)..]);
            }
        }

        return (Key: string.Empty, Message: failure);
    }

    private static string JsonPath(string property) => property switch
    {
        "OAuth2" => "oauth2",
        "Timeout" => "timeoutSeconds",
        _ when property.StartsWith("OAuth2.", StringComparison.Ordinal) => "oauth2." + Camel(property["OAuth2.".Length..]),
        _ when property.StartsWith("Proxy.", StringComparison.Ordinal) => "proxy." + Camel(property["Proxy.".Length..]),
        _ => Camel(property),
    };

    private static string Camel(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];

    // An unknown name becomes a value validation names (only Tls12 and Tls13 are accepted).
    private static SslProtocols? ParseTls(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null
        : Enum.TryParse<SslProtocols>(value.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed
        : (SslProtocols)(-1);

    /// <summary>The redirect URI the form composed, when it sent one (a relative one is kept, so validation names it).</summary>
    public static Uri? RedirectUri(SettingsInput input) => ParseUri(input.OAuth2?.RedirectUri);

    private static string? Trim(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    // A relative value is kept as typed, so validation names it as not absolute.
    private static Uri? ParseUri(string? value) =>
        !string.IsNullOrWhiteSpace(value) && Uri.TryCreate(value.Trim(), UriKind.RelativeOrAbsolute, out var uri) ? uri : null;
}
