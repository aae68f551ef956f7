using Microsoft.Extensions.DependencyInjection;

namespace SystemMail.Tests.Infrastructure;

/// <summary>Puts tokens in a <see cref="TestMailer"/>'s store as the token service saves them, for its current settings.</summary>
internal static class OAuth2Tokens
{
    public static async Task SaveAsync(TestMailer mail, string? accessToken, CancellationToken cancellationToken, OAuthTokenState state = OAuthTokenState.Generated, string? reason = null)
    {
        var settings = mail.Generations.Current.OAuth2!;
        var record = new OAuthTokenRecord
        {
            State = state,
            Fingerprint = new Dictionary<string, string>(settings.Fingerprint),
            Reason = reason,
            AccessToken = accessToken,
            AccessTokenExpiresAt = accessToken is null ? null : DateTimeOffset.UtcNow.AddHours(1),
            RefreshToken = accessToken is null ? null : "1//refresh-token",
            GeneratedAt = DateTimeOffset.UtcNow.AddDays(-1),
        };
        var serializer = mail.Services.GetRequiredService<OAuthRecordSerializer>();
        var store = mail.Services.GetRequiredService<IOAuthTokenStore>();
        var saved = await store.TrySaveAsync(OAuthSettings.TokenKey, serializer.Serialize(record, OAuthJsonContext.Default.OAuthTokenRecord), expectedVersion: null, cancellationToken);
        Assert.NotNull(saved);
    }
}
