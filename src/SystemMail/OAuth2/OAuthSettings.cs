namespace SystemMail;

/// <summary>
/// The effective OAuth2 settings of one options snapshot: the client of its <see cref="SmtpDestination"/> (template
/// endpoints with the tenant filled in), the client secret, and the fingerprint the tokens are stored with.
/// </summary>
internal sealed class OAuthSettings
{
    private const string ClientSecretPart = "client secret";
    private const string ServiceAccountKeyPart = "service account key";

    internal OAuthSettings(SmtpSettings smtp, SmtpDestination.OAuthClient client)
    {
        var options = smtp.Options.OAuth2 ?? new SmtpOAuthOptions();
        Destination = smtp.Destination;
        ProviderId = smtp.Template.Id;
        Flow = client.Flow;
        ClientType = client.ClientType;
        ClientId = client.ClientId;
        ClientSecret = options.ClientSecret ?? string.Empty;
        ServiceAccountKey = Flow == OAuthFlow.ServiceAccount ? options.ServiceAccountKey ?? string.Empty : null;
        TenantId = client.TenantId;
        Username = smtp.Username ?? string.Empty;
        RedirectUri = client.RedirectUri;
        RefreshMargin = options.RefreshMargin;
        StoreCheckInterval = options.StoreCheckInterval;
        Timeout = smtp.Timeout;
        AuthorizationLifetime = options.AuthorizationLifetime;
        AuthorizationEndpoint = client.AuthorizationEndpoint;
        TokenEndpoint = client.TokenEndpoint!;
        Scopes = client.Scopes;
        AuthorizationParameters = client.AuthorizationParameters;
        SendsLoginHint = client.SendsLoginHint;
        if (smtp.OAuth2Policy is { } policy && smtp.Options.OperatorDestinations is { } trusted)
        {
            TokenEndpointPolicy = trusted.IsOAuth2Endpoint(TokenEndpoint) ? null : policy;
            AuthorizationEndpointPolicy = AuthorizationEndpoint is { } authorization && !trusted.IsOAuth2Endpoint(authorization) ? policy : null;
        }

        // Tokens belong to the whole destination (a token sent to another server is a token leaked) and to the client
        // secret (ThingsBoard's rule: a new secret, a new consent).
        // Keyed with a random salt of its own, kept in the record: the hash of a secret confirms no guess of it.
        var salt = SmtpDestination.NewSalt();
        var fingerprint = Destination.Fingerprint(salt);
        fingerprint[ClientSecretPart] = SmtpDestination.Hash(ClientSecret, salt);
        if (ServiceAccountKey is not null)
        {
            // Only for service accounts, so the fingerprints of the other flows stored before it existed still match.
            fingerprint[ServiceAccountKeyPart] = SmtpDestination.Hash(ServiceAccountKey, salt);
        }

        Fingerprint = fingerprint;
    }

    /// <summary>Gets where the tokens may be used: the SMTP server, the proxy and the OAuth2 client.</summary>
    public SmtpDestination Destination { get; }

    public string ProviderId { get; }

    public OAuthFlow Flow { get; }

    public OAuthClientType ClientType { get; }

    public string ClientId { get; }

    public string ClientSecret { get; }

    /// <summary>Gets the Google service account's JSON key for <see cref="OAuthFlow.ServiceAccount"/>, else <see langword="null"/>. Never logged.</summary>
    public string? ServiceAccountKey { get; }

    public string? TenantId { get; }

    public string Username { get; }

    public Uri? RedirectUri { get; }

    public Uri? AuthorizationEndpoint { get; }

    public Uri TokenEndpoint { get; }

    public IReadOnlyList<string> Scopes { get; }

    public IReadOnlyDictionary<string, string> AuthorizationParameters { get; }

    /// <summary>Gets whether the authorization URL carries <c>login_hint</c> with <see cref="Username"/>.</summary>
    public bool SendsLoginHint { get; }
    /// <summary>Gets the policy the token endpoint is checked against, or <see langword="null"/> when the host's configuration named it.</summary>
    public DestinationPolicy? TokenEndpointPolicy { get; }

    /// <summary>Gets the policy the authorization endpoint is checked against, or <see langword="null"/> when the host's configuration named it.</summary>
    public DestinationPolicy? AuthorizationEndpointPolicy { get; }

    public TimeSpan RefreshMargin { get; }

    /// <summary>How long the access token in memory is used before the store is read again (<see cref="SmtpOAuthOptions.StoreCheckInterval"/>).</summary>
    public TimeSpan StoreCheckInterval { get; }

    /// <summary>How long one request to the token endpoint may take.</summary>
    public TimeSpan Timeout { get; }

    public TimeSpan AuthorizationLifetime { get; }

    /// <summary>
    /// A keyed hash per part of the destination and of the client secret (never the values), with the random key it was
    /// made with (<see cref="SmtpDestination.SaltKey"/>), to tell which one changed.
    /// </summary>
    public IReadOnlyDictionary<string, string> Fingerprint { get; }

    /// <summary>The token-store key of this mailbox's tokens.</summary>
    public const string TokenKey = "tokens";

    /// <summary>Gets the OAuth2 settings of <paramref name="smtp"/>, whose authentication must be OAuth2.</summary>
    public static OAuthSettings Create(SmtpSettings smtp) =>
        smtp.OAuth2 ?? throw new InvalidOperationException("The authentication is not OAuth2.");

    /// <summary>
    /// Names what makes the tokens of <paramref name="before"/> unusable under <paramref name="after"/>: the parts of the
    /// destination that differ, and the client secret. Empty when <paramref name="before"/> does not use OAuth2.
    /// </summary>
    public static IReadOnlyList<string> TokenChanges(SystemMailOptions before, SystemMailOptions after, ISmtpProviderCatalog catalog)
    {
        if (before.Authentication != SmtpAuthenticationType.OAuth2)
        {
            return [];
        }

        var changes = SmtpDestination.Of(after, catalog)?.Differences(SmtpDestination.Of(before, catalog)).ToList() ?? ["provider"];
        if (!string.Equals(before.OAuth2?.ClientSecret ?? string.Empty, after.OAuth2?.ClientSecret ?? string.Empty, StringComparison.Ordinal))
        {
            changes.Add(ClientSecretPart);
        }

        if (!string.Equals(before.OAuth2?.ServiceAccountKey ?? string.Empty, after.OAuth2?.ServiceAccountKey ?? string.Empty, StringComparison.Ordinal))
        {
            changes.Add(ServiceAccountKeyPart);
        }

        return changes;
    }

    /// <summary>Names the parts of the destination, or the client secret, that differ from a stored fingerprint.</summary>
    public IReadOnlyList<string> ChangesSince(IReadOnlyDictionary<string, string> stored)
    {
        var changes = Destination.ChangesSince(stored.Where(part => part.Key is not (ClientSecretPart or ServiceAccountKeyPart)).ToDictionary(StringComparer.Ordinal)).ToList();
        var salt = SmtpDestination.SaltOf(stored);
        foreach (var part in (string[])[ClientSecretPart, ServiceAccountKeyPart])
        {
            var secret = part == ClientSecretPart ? ClientSecret : ServiceAccountKey;
            var expected = secret is null ? null : SmtpDestination.Hash(secret, salt);
            if (stored.GetValueOrDefault(part) != expected)
            {
                changes.Add(part);
            }
        }

        return changes;
    }
}
