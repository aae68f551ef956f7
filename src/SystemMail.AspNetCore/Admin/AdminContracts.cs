using System.Text.Json.Serialization;

namespace SystemMail.AspNetCore;

// The JSON the admin endpoints read and write. Internal: the contract is the JSON, documented in the package readme,
// and it is serialized with AdminJsonContext whatever JSON options the host set.

/// <summary>The settings as the page shows them: every value except secrets, which appear only as "set".</summary>
internal sealed class SettingsDocument
{
    public string? Version { get; set; }

    public string? From { get; set; }

    public string Provider { get; set; } = SmtpProviderTemplates.CustomId;

    public string? Host { get; set; }

    public int? Port { get; set; }

    public SmtpSecurity? Security { get; set; }

    /// <summary>Tls12 or Tls13.</summary>
    public string? MinimumTlsVersion { get; set; }

    public int TimeoutSeconds { get; set; }

    public SmtpAuthenticationType Authentication { get; set; }

    public string? Username { get; set; }

    public bool PasswordSet { get; set; }

    [JsonPropertyName("oauth2")]
    public OAuthDocument OAuth2 { get; set; } = new();

    public ProxyDocument? Proxy { get; set; }

    /// <summary>Set by a save: whether it deleted OAuth2 tokens because the provider information changed.</summary>
    public bool? TokensDiscarded { get; set; }

    /// <summary>
    /// Why the saved settings cannot be read (a lost Data Protection key ring, damaged bytes), without secrets; absent
    /// when they can. The values shown are the ones in use, and saving replaces the unreadable ones.
    /// </summary>
    public string? SavedSettingsError { get; set; }
}

internal sealed class OAuthDocument
{
    public string? ClientId { get; set; }

    public bool ClientSecretSet { get; set; }

    /// <summary>Gets or sets whether a Google service account key is stored (never the key).</summary>
    public bool ServiceAccountKeySet { get; set; }

    public string? TenantId { get; set; }

    public Uri? AuthorizationEndpoint { get; set; }

    public Uri? TokenEndpoint { get; set; }

    public List<string> Scopes { get; set; } = [];

    /// <summary>The configured or saved redirect URI; absent when neither (the page composes one from the public base URL).</summary>
    public Uri? RedirectUri { get; set; }

    /// <summary>Whether the redirect URI is set in configuration or code, and so not on the page.</summary>
    public bool RedirectUriConfigured { get; set; }

    /// <summary>The callback's path on this site (path base, prefix, <c>/oauth2/callback</c>), appended to the public base URL.</summary>
    public string? CallbackPath { get; set; }
}

internal sealed class ProxyDocument
{
    public SmtpProxyType Type { get; set; }

    public string? Host { get; set; }

    public int Port { get; set; }

    public string? Username { get; set; }

    public bool PasswordSet { get; set; }
}

/// <summary>The settings as the page posts them. A blank secret keeps the stored one.</summary>
internal sealed class SettingsInput
{
    public string? Version { get; set; }

    public string? From { get; set; }

    public string? Provider { get; set; }

    public string? Host { get; set; }

    public int? Port { get; set; }

    public SmtpSecurity? Security { get; set; }

    /// <summary>Tls12 or Tls13.</summary>
    public string? MinimumTlsVersion { get; set; }

    public int? TimeoutSeconds { get; set; }

    public SmtpAuthenticationType? Authentication { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    [JsonPropertyName("oauth2")]
    public OAuthInput? OAuth2 { get; set; }

    public ProxyInput? Proxy { get; set; }
}

internal sealed class OAuthInput
{
    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>Gets or sets the Google service account's JSON key; blank keeps the stored one for the same destination.</summary>
    public string? ServiceAccountKey { get; set; }

    public string? TenantId { get; set; }

    public string? AuthorizationEndpoint { get; set; }

    public string? TokenEndpoint { get; set; }

    public List<string>? Scopes { get; set; }

    /// <summary>The redirect URI the administrator composed from the site's public base URL; ignored when one is configured.</summary>
    public string? RedirectUri { get; set; }
}

internal sealed class ProxyInput
{
    public SmtpProxyType? Type { get; set; }

    public string? Host { get; set; }

    public int? Port { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }
}

internal sealed class ProviderDocument
{
    public required string Id { get; init; }

    public required string DisplayName { get; init; }

    public bool AllowsCustomConnection { get; init; }

    public string? Host { get; init; }

    public int? Port { get; init; }

    public SmtpSecurity? Security { get; init; }

    public required string MinimumTlsVersion { get; init; }

    public required IReadOnlyList<SmtpAuthenticationType> SupportedAuthentication { get; init; }

    public string? FixedUsername { get; init; }

    /// <summary>Gets how the provider's mail leaves (SMTP or Microsoft Graph), for the page to say which permission to grant.</summary>
    public MailTransport Transport { get; init; }

    [JsonPropertyName("oauth2")]
    public ProviderOAuthDocument? OAuth2 { get; init; }

    public Uri? HelpLink { get; init; }
}

internal sealed class ProviderOAuthDocument
{
    public required string AuthorizationEndpoint { get; init; }

    public required string TokenEndpoint { get; init; }

    public required IReadOnlyList<string> Scopes { get; init; }

    public bool RequiresTenant { get; init; }
}

internal sealed class TokenStatusDocument
{
    public OAuthTokenState State { get; init; }

    public DateTimeOffset? GeneratedAt { get; init; }

    public DateTimeOffset? AccessTokenExpiresAt { get; init; }

    public DateTimeOffset? RefreshTokenExpiresAt { get; init; }

    public string? Reason { get; init; }

    /// <summary>Who cleared the tokens (an administrator, or <c>application</c>).</summary>
    public string? ClearedBy { get; init; }

    public DateTimeOffset? ClearedAt { get; init; }
}

internal sealed class RedirectUriDocument
{
    /// <summary>The redirect URI, or <see langword="null"/> when neither it nor the site's public address is configured.</summary>
    public Uri? RedirectUri { get; init; }

    /// <summary>What to configure when there is no redirect URI.</summary>
    public string? Problem { get; init; }
}

internal sealed class TestConnectionInput
{
    /// <summary>The form's unsaved values; <see langword="null"/> to test the saved settings.</summary>
    public SettingsInput? Settings { get; set; }
}

internal sealed class TestMailInput
{
    public string? To { get; set; }

    /// <summary>The form's unsaved values; <see langword="null"/> to test the saved settings.</summary>
    public SettingsInput? Settings { get; set; }
}

[JsonSourceGenerationOptions(
    System.Text.Json.JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowTrailingCommas = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip)]
[JsonSerializable(typeof(SettingsDocument))]
[JsonSerializable(typeof(SettingsInput))]
[JsonSerializable(typeof(IReadOnlyList<ProviderDocument>))]
[JsonSerializable(typeof(TokenStatusDocument))]
[JsonSerializable(typeof(RedirectUriDocument))]
[JsonSerializable(typeof(TestConnectionInput))]
[JsonSerializable(typeof(TestMailInput))]
[JsonSerializable(typeof(SmtpDiagnosticReport))]
[JsonSerializable(typeof(OutboxMailDocument))]
[JsonSerializable(typeof(IReadOnlyList<OutboxMailDocument>))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
