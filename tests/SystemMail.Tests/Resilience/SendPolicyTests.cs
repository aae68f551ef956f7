using Microsoft.Extensions.Logging.Abstractions;

namespace SystemMail.Tests.Resilience;

public sealed class SendPolicyTests
{
    [Fact]
    public void Dispose_SendsStillHoldReferences_StaysUsableUntilTheLastIsReleased()
    {
        // Arrange
        using var telemetry = new SystemMailTelemetry();
        var policy = new SendPolicy(Office365Settings(), TimeProvider.System, telemetry, NullLogger.Instance);
        Assert.True(policy.TryAddReference());
        Assert.True(policy.TryAddReference());

        // Act
        policy.Dispose();
        var afterReplaced = policy.IsDisposed;
        policy.Release();
        var afterFirstSend = policy.IsDisposed;
        policy.Release();

        // Assert
        Assert.False(afterReplaced);
        Assert.False(afterFirstSend);
        Assert.True(policy.IsDisposed);
        Assert.False(policy.TryAddReference());
    }

    [Fact]
    public void Dispose_CalledTwice_GivesBackTheMailersReferenceOnly()
    {
        // Arrange
        using var telemetry = new SystemMailTelemetry();
        var policy = new SendPolicy(Office365Settings(), TimeProvider.System, telemetry, NullLogger.Instance);
        Assert.True(policy.TryAddReference());

        // Act
        policy.Dispose();
        policy.Dispose();

        // Assert
        // The running send still holds its reference: the limiter lives until that send is done.
        Assert.False(policy.IsDisposed);
        policy.Release();
        Assert.True(policy.IsDisposed);
    }

    [Fact]
    public async Task TryAddReference_RacingTheLastRelease_NeverRevivesADisposedPolicy()
    {
        // Arrange
        using var telemetry = new SystemMailTelemetry();
        var policy = new SendPolicy(Office365Settings(), TimeProvider.System, telemetry, NullLogger.Instance);
        var taken = 0;

        // Act
        var senders = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                if (policy.TryAddReference())
                {
                    Interlocked.Increment(ref taken);
                    policy.Release();
                }
            }
        }, TestContext.Current.CancellationToken)).ToArray();
        policy.Dispose();
        await Task.WhenAll(senders);

        // Assert
        Assert.True(policy.IsDisposed);
        Assert.False(policy.TryAddReference());
    }

    [Fact]
    public async Task ExecuteAsync_LargestValuesTheValidatorAccepts_SendsAndWaitsForASlot()
    {
        // Arrange
        var options = new SystemMailOptions { From = "a@acme.test", Host = "smtp.acme.test", Port = 587 };
        options.Retry.MaxDelay = TimeSpan.FromDays(1);
        options.RateLimit.PermitLimit = 1;
        options.RateLimit.Window = TimeSpan.FromDays(31);
        options.RateLimit.QueueTimeout = TimeSpan.FromDays(1);
        using var telemetry = new SystemMailTelemetry();
        using var policy = new SendPolicy(SmtpSettings.Create(options, new SmtpProviderCatalog([])), TimeProvider.System, telemetry, NullLogger.Instance);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        // Act
        var first = await policy.ExecuteAsync(_ => Task.FromResult("sent"), cancel.Token);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(100));
        var second = policy.ExecuteAsync(_ => Task.FromResult("sent"), cancel.Token);

        // Assert
        Assert.Equal("sent", first);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
    }

    private static SmtpSettings Office365Settings() => SmtpSettings.Create(
        new SystemMailOptions { From = "a@contoso.com", Provider = "office365", Authentication = SmtpAuthenticationType.Basic, Username = "a@contoso.com", Password = "p" },
        new SmtpProviderCatalog([]));
}
