namespace SystemMail;

/// <summary>Tokens one request to the token endpoint returned.</summary>
internal sealed record OAuthTokens(string AccessToken, DateTimeOffset AccessTokenExpiresAt, string? RefreshToken, DateTimeOffset? RefreshTokenExpiresAt);
