using System.Text.Json.Serialization;

namespace SystemMail;

/// <summary>What SystemMail keeps in the token store for the configured mailbox. Serialized as JSON, then protected.</summary>
internal sealed class OAuthTokenRecord
{
    public OAuthTokenState State { get; set; }

    /// <summary>Hashes of each piece of provider information, to tell which one changed.</summary>
    public Dictionary<string, string> Fingerprint { get; set; } = [];

    public string? Reason { get; set; }

    public string? AccessToken { get; set; }

    public DateTimeOffset? AccessTokenExpiresAt { get; set; }

    public string? RefreshToken { get; set; }

    public DateTimeOffset? RefreshTokenExpiresAt { get; set; }

    public DateTimeOffset? GeneratedAt { get; set; }

    public DateTimeOffset? RefreshedAt { get; set; }

    /// <summary>Who made the tokens unusable: the administrator who cleared them, or <c>application</c>.</summary>
    public string? ClearedBy { get; set; }

    /// <summary>When the tokens were cleared, discarded or refused.</summary>
    public DateTimeOffset? ClearedAt { get; set; }

    /// <summary>MSAL's home account id of the mailbox that consented (Office 365).</summary>
    public string? MsalAccountId { get; set; }

    /// <summary>MSAL's serialized token cache (Office 365).</summary>
    public byte[]? MsalCache { get; set; }

    /// <summary>A record with no tokens yet, bound to the provider information of <paramref name="oauth"/>.</summary>
    public static OAuthTokenRecord NotGenerated(OAuthSettings oauth) => new()
    {
        State = OAuthTokenState.NotGenerated,
        Fingerprint = new Dictionary<string, string>(oauth.Fingerprint),
    };

    /// <summary>Takes the tokens one answer of the token endpoint returned; a refresh token not sent again is kept.</summary>
    public void Apply(OAuthTokens tokens, DateTimeOffset now)
    {
        AccessToken = tokens.AccessToken;
        AccessTokenExpiresAt = tokens.AccessTokenExpiresAt;
        RefreshToken = tokens.RefreshToken ?? RefreshToken;
        RefreshTokenExpiresAt = tokens.RefreshTokenExpiresAt ?? RefreshTokenExpiresAt;
        RefreshedAt = now;
        Reason = null;
        ClearedBy = null;
        ClearedAt = null;
    }

    /// <summary>A record without tokens that says who made them unusable, when and why.</summary>
    public static OAuthTokenRecord Cleared(IReadOnlyDictionary<string, string> fingerprint, string clearedBy, DateTimeOffset at, string reason) => new()
    {
        State = OAuthTokenState.NotGenerated,
        Fingerprint = new Dictionary<string, string>(fingerprint),
        Reason = reason,
        ClearedBy = clearedBy,
        ClearedAt = at,
    };

    public OAuthTokenStatus ToStatus() =>
        new(State, GeneratedAt, State == OAuthTokenState.Generated ? AccessTokenExpiresAt : null, State == OAuthTokenState.Generated ? RefreshTokenExpiresAt : null, Reason)
        {
            ClearedBy = State == OAuthTokenState.Generated ? null : ClearedBy,
            ClearedAt = State == OAuthTokenState.Generated ? null : ClearedAt,
        };
}

[JsonSerializable(typeof(OAuthTokenRecord))]
[JsonSerializable(typeof(PendingAuthorization))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
internal sealed partial class OAuthJsonContext : JsonSerializerContext
{
}
