namespace SystemMail;

/// <summary>The OAuth2 token status for a settings page: state, when the tokens were generated, when they expire and why they must be generated again.</summary>
public sealed class OAuthTokenStatus
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="state">Where the tokens stand.</param>
    /// <param name="generatedAt">When the administrator generated the tokens (or the client-credentials token was first obtained).</param>
    /// <param name="accessTokenExpiresAt">When the current access token expires; SystemMail refreshes it before.</param>
    /// <param name="refreshTokenExpiresAt">When the refresh token expires if unused, where the provider tells it (Office 365: sliding 90 days).</param>
    /// <param name="reason">Why the tokens must be generated (again), or <see langword="null"/>.</param>
    public OAuthTokenStatus(OAuthTokenState state, DateTimeOffset? generatedAt = null, DateTimeOffset? accessTokenExpiresAt = null, DateTimeOffset? refreshTokenExpiresAt = null, string? reason = null)
    {
        State = state;
        GeneratedAt = generatedAt;
        AccessTokenExpiresAt = accessTokenExpiresAt;
        RefreshTokenExpiresAt = refreshTokenExpiresAt;
        Reason = reason;
    }

    /// <summary>Gets where the tokens stand.</summary>
    public OAuthTokenState State { get; }

    /// <summary>Gets when the tokens were generated.</summary>
    public DateTimeOffset? GeneratedAt { get; }

    /// <summary>Gets when the current access token expires.</summary>
    public DateTimeOffset? AccessTokenExpiresAt { get; }

    /// <summary>Gets when the refresh token expires if unused, where the provider tells it.</summary>
    public DateTimeOffset? RefreshTokenExpiresAt { get; }

    /// <summary>Gets why the tokens must be generated (again), or <see langword="null"/>.</summary>
    public string? Reason { get; }

    /// <summary>
    /// Gets who made the tokens unusable: the administrator who cleared them on the settings page, or
    /// <see cref="Application"/> (cleared in code, discarded because the provider information changed, refused by the
    /// provider); <see langword="null"/> while they are usable or when nothing is known.
    /// </summary>
    public string? ClearedBy { get; init; }

    /// <summary>Gets when the tokens were cleared, discarded or refused; <see langword="null"/> while they are usable.</summary>
    public DateTimeOffset? ClearedAt { get; init; }

    /// <summary>The <see cref="ClearedBy"/> of tokens cleared by the application itself rather than by an administrator.</summary>
    public const string Application = "application";

    /// <summary>Returns the state, dates and reason; never a token.</summary>
    /// <returns>A one-line description.</returns>
    public override string ToString() => State switch
    {
        OAuthTokenState.Generated => $"Generated at {GeneratedAt:u}; access token expires at {AccessTokenExpiresAt:u}" +
            (RefreshTokenExpiresAt is { } refresh ? $"; refresh token expires at {refresh:u}" : string.Empty),
        _ => $"{State}{(Reason is null ? string.Empty : ": " + Reason)}{(ClearedAt is { } at ? $" ({ClearedBy ?? Application}, {at:u})" : string.Empty)}",
    };
}
