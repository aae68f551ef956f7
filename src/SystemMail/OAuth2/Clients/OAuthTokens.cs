using System.Globalization;

namespace SystemMail;

/// <summary>Tokens one request to the token endpoint returned.</summary>
internal sealed record OAuthTokens(string AccessToken, DateTimeOffset AccessTokenExpiresAt, string? RefreshToken, DateTimeOffset? RefreshTokenExpiresAt)
{
    /// <summary>Describes the tokens by their expiry only: the compiler's record description would print both tokens.</summary>
    /// <returns>When the access token expires, and whether a refresh token came and when it expires.</returns>
    public override string ToString() =>
        $"OAuthTokens {{ AccessTokenExpiresAt = {AccessTokenExpiresAt.ToString("O", CultureInfo.InvariantCulture)}, " +
        $"RefreshToken = {(string.IsNullOrEmpty(RefreshToken) ? "not set" : "set")}, " +
        $"RefreshTokenExpiresAt = {RefreshTokenExpiresAt?.ToString("O", CultureInfo.InvariantCulture) ?? "none"} }}";
}
