using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace SystemMail.Tests.Resilience;

/// <summary>A generation's pipeline and its sending limiter: disposed by Polly after the last send, not before.</summary>
public sealed class MailGenerationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Retire_SendStillRunning_LimiterDisposedOnlyAfterThatSendCompletes()
    {
        // Arrange: the clock of Polly's look at the running sends (once a second) only moves when the test says so.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var telemetry = new SystemMailTelemetry();
        var generation = new MailGeneration(Office365Settings(), clock, telemetry, NullLogger.Instance);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var send = generation.Pipeline.ExecuteAsync(
            async _ =>
            {
                entered.SetResult();
                await release.Task;
                return "250 sent";
            },
            Ct).AsTask();
        await entered.Task.WaitAsync(Ct);

        // Act
        generation.Retire("settings changed");
        var disposedAtRetirement = generation.Limiter!.IsDisposed;
        clock.Advance(TimeSpan.FromSeconds(2));
        var disposedWhileSending = generation.Limiter.IsDisposed || generation.PipelineDisposed.IsCompleted;
        release.SetResult();
        var reply = await send;
        await AdvanceUntilAsync(clock, generation.PipelineDisposed);

        // Assert
        Assert.True(generation.IsRetired);
        Assert.False(disposedAtRetirement);
        Assert.False(disposedWhileSending);
        Assert.Equal("250 sent", reply);
        Assert.True(generation.Limiter.IsDisposed);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => generation.Pipeline.ExecuteAsync(_ => ValueTask.FromResult("late"), Ct).AsTask());
    }

    [Fact]
    public async Task Retire_NoSendRunning_LimiterDisposedAtOnceAndIdleConnectionsHandedBack()
    {
        // Arrange
        using var telemetry = new SystemMailTelemetry();
        var generation = new MailGeneration(Office365Settings(), TimeProvider.System, telemetry, NullLogger.Instance);

        // Act
        var idle = generation.Retire("settings changed");
        var again = generation.Retire("settings changed");
        await generation.PipelineDisposed.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        // Assert
        Assert.Empty(idle);
        Assert.Empty(again);
        Assert.True(generation.Limiter!.IsDisposed);
    }

    [Fact]
    public async Task Pipeline_LargestValuesTheValidatorAccepts_SendsAndWaitsForASlot()
    {
        // Arrange
        var options = new SystemMailOptions { From = "a@acme.test", Host = "smtp.acme.test", Port = 587 };
        options.Retry.MaxDelay = TimeSpan.FromDays(1);
        options.RateLimit.PermitLimit = 1;
        options.RateLimit.Window = TimeSpan.FromDays(31);
        options.RateLimit.QueueTimeout = TimeSpan.FromDays(1);
        using var telemetry = new SystemMailTelemetry();
        using var generation = new MailGeneration(SmtpSettings.Create(options, new SmtpProviderCatalog([])), TimeProvider.System, telemetry, NullLogger.Instance);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        // Act
        var first = await generation.Pipeline.ExecuteAsync(_ => ValueTask.FromResult("sent"), cancel.Token);
        var second = generation.Pipeline.ExecuteAsync(_ => ValueTask.FromResult("sent"), cancel.Token).AsTask();
        var waitedForASlot = !second.IsCompleted;
        await cancel.CancelAsync();

        // Assert
        Assert.Equal("sent", first);
        Assert.True(waitedForASlot);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
    }

    [Fact]
    public void Create_NoSendingLimit_HasNoLimiter()
    {
        // Arrange
        var options = new SystemMailOptions { From = "a@acme.test", Host = "smtp.acme.test", Port = 587 };
        using var telemetry = new SystemMailTelemetry();

        // Act
        using var generation = new MailGeneration(SmtpSettings.Create(options, new SmtpProviderCatalog([])), TimeProvider.System, telemetry, NullLogger.Instance);

        // Assert
        Assert.Null(generation.Limiter);
        Assert.Equal(options.PoolSize, generation.Settings.Options.PoolSize);
    }

    /// <summary>
    /// Moves the clock a second at a time, giving Polly's look at the running sends the time to run, until
    /// <paramref name="done"/> completes; well before Polly's own 30 s limit, so only the finished sends can end the wait.
    /// </summary>
    private static async Task AdvanceUntilAsync(FakeTimeProvider clock, Task done)
    {
        for (var second = 0; second < 20 && !done.IsCompleted; second++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(done, Task.Delay(TimeSpan.FromMilliseconds(50), Ct));
        }

        Assert.True(done.IsCompleted, "Polly did not dispose the pipeline after its last send.");
    }

    private static SmtpSettings Office365Settings() => SmtpSettings.Create(
        new SystemMailOptions { From = "a@contoso.com", Provider = "office365", Authentication = SmtpAuthenticationType.Basic, Username = "a@contoso.com", Password = "p" },
        new SmtpProviderCatalog([]));
}
