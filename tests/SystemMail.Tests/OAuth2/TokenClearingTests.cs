using Microsoft.Extensions.DependencyInjection;

namespace SystemMail.Tests.OAuth2;

/// <summary>Clearing the tokens stops OAuth2 mail at once, pooled connections included, and the status says who and when.</summary>
public sealed class TokenClearingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("alice", "alice")]
    [InlineData(null, OAuthTokenStatus.Application)]
    public async Task ClearTokensAsync_OpenPooledXOAuth2Connection_NextSendFailsWithGenerateHintAndNoMailArrives(string? clearedBy, string expectedClearedBy)
    {
        // Arrange: a mail went out with XOAUTH2; its authenticated connection waits idle in the pool.
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Custom, cancellationToken: Ct);
        var instance = mail.CreateInstance();
        var tokens = instance.GetRequiredService<IOAuthTokenService>();
        var pool = instance.GetRequiredService<SmtpConnectionPool>();
        await mail.GenerateAccessTokenAsync(instance, Ct);
        await SendAsync(instance);
        Assert.Equal(1, pool.IdleConnections);
        mail.Time.Advance(TimeSpan.FromSeconds(5));

        // Act
        var cleared = await tokens.ClearTokensAsync(clearedBy, cancellationToken: Ct);
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => SendAsync(instance));

        // Assert: the idle connection was closed, not reused; the send asks for a new consent; nothing more arrived.
        Assert.Equal(0, pool.IdleConnections);
        Assert.Equal(SystemMailErrorKind.Authentication, ex.Kind);
        Assert.Equal(Hints.GenerateAccessToken.Id, ex.HintId);
        Assert.Single(await mail.Smtp.GetMessagesAsync(Ct));
        Assert.Single((await mail.Smtp.GetStatsAsync(Ct)).AuthAttempts, a => a.Method == "XOAUTH2");

        // The status says who cleared the tokens, when (the host's clock) and why.
        var status = await tokens.GetStatusAsync(Ct);
        Assert.Equal(OAuthTokenState.NotGenerated, status.State);
        Assert.Equal(expectedClearedBy, status.ClearedBy);
        Assert.Equal(mail.Time.GetUtcNow(), status.ClearedAt);
        Assert.Contains(expectedClearedBy, status.Reason, StringComparison.Ordinal);
        Assert.Equal(status.ClearedAt, cleared.ClearedAt);
        Assert.Contains(expectedClearedBy, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClearTokensAsync_ConnectionInUse_ClosedWhenItsMailIsDone()
    {
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Custom, cancellationToken: Ct);
        var instance = mail.CreateInstance();
        var pool = instance.GetRequiredService<SmtpConnectionPool>();
        await mail.GenerateAccessTokenAsync(instance, Ct);
        var generation = instance.GetRequiredService<SmtpSettingsSource>().CurrentGeneration;
        await SendAsync(instance);
        var inUse = generation.Connections.TakeIdle()!;

        await instance.GetRequiredService<IOAuthTokenService>().ClearTokensAsync(cancellationToken: Ct);
        generation.Connections.Return(inUse);

        Assert.Equal(0, pool.IdleConnections);
    }

    [Fact]
    public async Task RefreshRefused_ConnectionLoggedInBefore_ClosedWhenItComesBackAndNextSendFails()
    {
        // Arrange: connection A logged in with XOAUTH2 and is busy; meanwhile the refresh token is revoked and expires.
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Custom, cancellationToken: Ct);
        mail.Change("ConnectionIdleTimeout", "1.00:00:00");
        var instance = mail.CreateInstance();
        await mail.GenerateAccessTokenAsync(instance, Ct);
        var generation = instance.GetRequiredService<SmtpSettingsSource>().CurrentGeneration;
        await SendAsync(instance);
        var busy = generation.Connections.TakeIdle()!;
        mail.Authorization.RevokeAllRefreshTokens();
        mail.Time.Advance(TimeSpan.FromHours(2));

        // Act: a second mail needs a new connection, so a refresh: refused, MustRegenerate. Then A comes back.
        var refused = await Assert.ThrowsAsync<SystemMailException>(() => SendAsync(instance));
        generation.Connections.Return(busy);
        var next = await Assert.ThrowsAsync<SystemMailException>(() => SendAsync(instance));

        // Assert: A was not kept for the next mail, which fails like the first; only the first mail arrived.
        Assert.Equal(SystemMailErrorKind.Authentication, refused.Kind);
        Assert.Equal(0, generation.Connections.IdleCount);
        Assert.Equal(refused.HintId, next.HintId);
        Assert.Single(await mail.Smtp.GetMessagesAsync(Ct));
        var status = await instance.GetRequiredService<IOAuthTokenService>().GetStatusAsync(Ct);
        Assert.Equal(OAuthTokenState.MustRegenerate, status.State);
        Assert.Equal(OAuthTokenStatus.Application, status.ClearedBy);
        Assert.Equal(mail.Time.GetUtcNow(), status.ClearedAt);
    }

    private static Task<SentMail> SendAsync(IServiceProvider instance) =>
        instance.GetRequiredService<ISystemMailer>().SendTestMailAsync("admin@contoso.test", cancellationToken: Ct);
}
