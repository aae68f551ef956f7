namespace SystemMail.Tests.OAuth2;

public sealed class OAuthTokensTests
{
    [Fact]
    public void ToString_WithBothTokens_ShowsExpiryButNoToken()
    {
        var expires = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var tokens = new OAuthTokens("Access-7c2e91f4", expires, "Refresh-b83d05aa", expires.AddDays(90));

        var text = tokens.ToString();

        Assert.DoesNotContain("Access-7c2e91f4", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Refresh-b83d05aa", text, StringComparison.Ordinal);
        Assert.Contains("AccessTokenExpiresAt = 2030-01-02T03:04:05.0000000+00:00", text, StringComparison.Ordinal);
        Assert.Contains("RefreshToken = set", text, StringComparison.Ordinal);
        Assert.Contains("RefreshTokenExpiresAt = 2030-04-02T03:04:05.0000000+00:00", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_WithoutRefreshToken_SaysNotSet()
    {
        var tokens = new OAuthTokens("Access-7c2e91f4", DateTimeOffset.UnixEpoch, null, null);

        var text = tokens.ToString();

        Assert.DoesNotContain("Access-7c2e91f4", text, StringComparison.Ordinal);
        Assert.Contains("RefreshToken = not set", text, StringComparison.Ordinal);
        Assert.Contains("RefreshTokenExpiresAt = none", text, StringComparison.Ordinal);
    }
}
