using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using SystemMail.Tests.OAuth2;

namespace SystemMail.Tests.Connection;

/// <summary>
/// The OAuth2 access token is fetched before the connection's timeout starts, with the token endpoint's own timeout,
/// sent and diagnosed alike: a token endpoint that hangs is named as the problem, not the SMTP server.
/// </summary>
public sealed class TokenFetchTimeoutTests
{
    [Theory]
    [InlineData(EntryPoint.Send)]
    [InlineData(EntryPoint.Diagnostic)]
    public async Task ConnectAsync_TokenEndpointHangs_FailsWithTheTokenEndpointHintWithinTheTimeout(EntryPoint entryPoint)
    {
        // Arrange: tokens generated, then the access token expired, and the token endpoint takes far longer than the timeout.
        var ct = TestContext.Current.CancellationToken;
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Custom, cancellationToken: ct);
        mail.Change("Timeout", "00:00:01.500");
        var instance = mail.CreateInstance();
        await mail.GenerateAccessTokenAsync(instance, ct);
        mail.Time.Advance(TimeSpan.FromHours(2));
        mail.Authorization.TokenEndpointDelay = TimeSpan.FromSeconds(20);
        var refreshes = mail.Authorization.GetTokenRequestCount("refresh_token");
        var stopwatch = Stopwatch.StartNew();

        // Act: the timeouts run on the test's clock; once the request is held at the token endpoint, the clock passes
        // the token's timeout. The connection's own timeout has not started yet, so it cannot be the one that fires.
        var provoking = ConnectionFailure.ProvokeAsync(instance, entryPoint);
        while (mail.Authorization.GetTokenRequestCount("refresh_token") == refreshes && !provoking.IsCompleted)
        {
            await Task.Delay(10, ct);
        }

        mail.Time.Advance(TimeSpan.FromSeconds(2));
        var failure = await provoking;

        // Assert
        stopwatch.Stop();
        failure.Is(SystemMailErrorKind.Transient, Hints.TokenEndpointUnavailable(mail.Authorization.TokenEndpoint.Host), SmtpDiagnosticStage.Authenticate);
        Assert.Contains("token endpoint", failure.Summary, StringComparison.Ordinal);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed}");
        Assert.Empty((await mail.Smtp.GetStatsAsync(ct)).AuthAttempts);
        Assert.Equal(OAuthTokenState.Generated, (await instance.GetRequiredService<IOAuthTokenService>().GetStatusAsync(ct)).State);
        if (failure.Report is { } report)
        {
            // The server was still tested up to AUTH: it offers XOAUTH2.
            Assert.Contains(report.Capabilities, c => c.Contains("XOAUTH2", StringComparison.Ordinal));
        }
    }
}
