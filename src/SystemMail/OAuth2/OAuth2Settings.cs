using System.Security.Cryptography;
using System.Text;

namespace SystemMail;

/// <summary>The effective OAuth2 settings of one options snapshot: template endpoints with the tenant filled in, and the fingerprint.</summary>
internal sealed class OAuth2Settings
{
    private OAuth2Settings(SmtpSettings smtp)
    {
        var options = smtp.Options.OAuth2 ?? new SmtpOAuth2Options();
        var metadata = smtp.Template.OAuth2;
        ProviderId = smtp.Template.Id;
        Flow = options.Flow;
        ClientType = metadata?.ClientType ?? OAuth2ClientType.Generic;
        ClientId = options.ClientId?.Trim() ?? string.Empty;
        ClientSecret = options.ClientSecret ?? string.Empty;
        TenantId = options.TenantId?.Trim();
        Username = smtp.Username ?? string.Empty;
        RedirectUri = options.RedirectUri;
        RefreshMargin = options.RefreshMargin;
        Timeout = smtp.Timeout;
        AuthorizationLifetime = options.AuthorizationLifetime;
        if (metadata is not null)
        {
            AuthorizationEndpoint = new Uri(WithTenant(metadata.AuthorizationEndpoint));
            TokenEndpoint = new Uri(WithTenant(metadata.TokenEndpoint));
            Scopes = Flow == OAuth2Flow.ClientCredentials ? metadata.ClientCredentialsScopes : metadata.Scopes;
            AuthorizationParameters = metadata.AuthorizationParameters;
        }
        else
        {
            AuthorizationEndpoint = options.AuthorizationEndpoint;
            TokenEndpoint = options.TokenEndpoint!;
            Scopes = [.. options.Scopes.Select(s => s.Trim())];
            AuthorizationParameters = new Dictionary<string, string>();
        }

        Fingerprint = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["provider"] = Hash(ProviderId),
            ["flow"] = Hash(Flow.ToString()),
            ["client ID"] = Hash(ClientId),
            ["client secret"] = Hash(ClientSecret),
            ["tenant"] = Hash(TenantId ?? string.Empty),
            ["scopes"] = Hash(string.Join(' ', Scopes)),
            ["endpoints"] = Hash($"{AuthorizationEndpoint} {TokenEndpoint}"),
            ["username"] = Hash(Username.ToUpperInvariant()),
            ["redirect URI"] = Hash(RedirectUri?.AbsoluteUri ?? string.Empty),
        };

        string WithTenant(string endpoint) => endpoint.Replace("{tenant}", Uri.EscapeDataString(TenantId ?? "common"), StringComparison.Ordinal);
    }

    public string ProviderId { get; }

    public OAuth2Flow Flow { get; }

    public OAuth2ClientType ClientType { get; }

    public string ClientId { get; }

    public string ClientSecret { get; }

    public string? TenantId { get; }

    public string Username { get; }

    public Uri? RedirectUri { get; }

    public Uri? AuthorizationEndpoint { get; }

    public Uri TokenEndpoint { get; }

    public IReadOnlyList<string> Scopes { get; }

    public IReadOnlyDictionary<string, string> AuthorizationParameters { get; }

    public TimeSpan RefreshMargin { get; }

    /// <summary>How long one request to the token endpoint may take.</summary>
    public TimeSpan Timeout { get; }

    public TimeSpan AuthorizationLifetime { get; }

    /// <summary>A hash per piece of provider information (never the values), to tell which one changed.</summary>
    public IReadOnlyDictionary<string, string> Fingerprint { get; }

    /// <summary>The token-store key of this mailbox's tokens.</summary>
    public const string TokenKey = "tokens";

    public static OAuth2Settings Create(SmtpSettings smtp) => new(smtp);

    /// <summary>Names the pieces of provider information that differ from a stored fingerprint.</summary>
    public IReadOnlyList<string> ChangesSince(IReadOnlyDictionary<string, string> stored) =>
        [.. Fingerprint.Where(pair => !stored.TryGetValue(pair.Key, out var hash) || hash != pair.Value).Select(pair => pair.Key)];

    private static string Hash(string value) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value)), 0, 12);
}
