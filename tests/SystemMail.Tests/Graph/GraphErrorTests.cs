using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SystemMail.Tests.Infrastructure.Graph;

namespace SystemMail.Tests.Graph;

/// <summary>Microsoft Graph's refusals, each with its kind and hint, and its Retry-After honoured by the retry policy and the pacer.</summary>
public sealed class GraphErrorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, int, SystemMailErrorKind, string> Refusals() => new()
    {
        { nameof(GraphTestFailure.AccessDenied), 403, SystemMailErrorKind.Authentication, nameof(Hints.GraphPermissionMissing) },
        { nameof(GraphTestFailure.ApplicationAccessPolicy), 403, SystemMailErrorKind.Authentication, nameof(Hints.GraphMailboxExcludedByPolicy) },
        { nameof(GraphTestFailure.MailboxNotFound), 404, SystemMailErrorKind.Configuration, nameof(Hints.GraphMailboxNotFound) },
        { nameof(GraphTestFailure.ResourceNotFound), 404, SystemMailErrorKind.Configuration, nameof(Hints.GraphMailboxNotFound) },
        { nameof(GraphTestFailure.InvalidRecipients), 400, SystemMailErrorKind.RecipientRejected, nameof(Hints.GraphInvalidRecipients) },
        { nameof(GraphTestFailure.SendingQuotaExceeded), 403, SystemMailErrorKind.Throttled, nameof(Hints.GraphSendingQuotaExceeded) },
        { nameof(GraphTestFailure.TooManyRequests), 429, SystemMailErrorKind.Transient, nameof(Hints.GraphThrottled) },
        { nameof(GraphTestFailure.MailboxConcurrency), 429, SystemMailErrorKind.Transient, nameof(Hints.GraphMailboxConcurrency) },
        { nameof(GraphTestFailure.ServiceUnavailable), 503, SystemMailErrorKind.Transient, nameof(Hints.GraphUnavailable) },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task SendAsync_GraphRefuses_KindHintStatusAndRequestId(string failure, int status, SystemMailErrorKind kind, string hintId)
    {
        // Arrange
        await using var mail = await GraphMail.StartAsync(cancellationToken: Ct);
        var mailer = mail.CreateInstance().GetRequiredService<ISystemMailer>();
        mail.Graph.Fail(Failure(failure));

        // Act
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => GraphTransportTests.SendAsync(mailer, SystemMailKind.Test, "user@contoso.test"));

        // Assert
        Assert.Equal(kind, ex.Kind);
        Assert.Equal(hintId, ex.HintId);
        Assert.Equal(status, ex.StatusCode);
        Assert.Contains("request-id", ex.ServerResponse, StringComparison.Ordinal);
        Assert.Contains(Failure(failure).Code, ex.ServerResponse, StringComparison.Ordinal);
        Assert.Empty(mail.Graph.Mails);
        Assert.DoesNotContain(mail.Authorization.Client.ClientSecret, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_GraphRefusesEveryToken_AuthenticationWithTokenHintAfterOneFreshToken()
    {
        // Arrange
        await using var mail = await GraphMail.StartAsync(cancellationToken: Ct);
        var mailer = mail.CreateInstance().GetRequiredService<ISystemMailer>();
        mail.Graph.Fail(GraphTestFailure.Unauthorized, count: 2);

        // Act
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => GraphTransportTests.SendAsync(mailer, SystemMailKind.Test, "user@contoso.test"));

        // Assert
        Assert.Equal(SystemMailErrorKind.Authentication, ex.Kind);
        Assert.Equal(nameof(Hints.GraphTokenRejected), ex.HintId);
        Assert.Equal(401, ex.StatusCode);
        Assert.Equal(2, mail.Authorization.TokenRequests);
        Assert.Equal(2, mail.Graph.Requests);
    }

    [Fact]
    public async Task SendAsync_TooManyRequestsWithRetryAfter_RetriedOnlyAfterTheTimeAsked()
    {
        // Arrange: a clock only the test moves; Graph asks for 20 s.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var mail = await GraphMail.StartAsync(time: clock, cancellationToken: Ct);
        // Each step moves the request deadline too: a long one keeps a slow machine from timing out.
        mail.Change("Timeout", "00:05:00");
        mail.Change("Retry:MaxRetryAttempts", "2");
        mail.Change("Retry:Delay", "00:00:01");
        mail.Change("Retry:UseJitter", "false");
        var mailer = mail.CreateInstance().GetRequiredService<ISystemMailer>();
        mail.Graph.Fail(GraphTestFailure.TooManyRequests(retryAfter: 20));

        // Act
        var send = GraphTransportTests.SendAsync(mailer, SystemMailKind.Test, "user@contoso.test");
        await MoveClockUntilAsync(clock, send);

        // Assert: the second try came no sooner than 20 s after the 429 (the backoff alone would have waited 1 s). The
        // upper bound is loose: the test moves the clock in steps while a slow machine serves the request.
        await send;
        var answers = mail.Graph.Answers;
        Assert.Equal([429, 202], answers.Select(a => a.Status));
        Assert.InRange(answers[1].At - answers[0].At, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(40));
        Assert.Single(mail.Graph.Mails);
    }

    [Fact]
    public async Task SendAsync_AfterServiceUnavailableWithRetryAfter_NextMailWaitsTheTimeAsked()
    {
        // Arrange: no retries, so the first mail fails; the pacer must still hold the next one.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var mail = await GraphMail.StartAsync(time: clock, cancellationToken: Ct);
        // Each step moves the request deadline too: a long one keeps a slow machine from timing out.
        mail.Change("Timeout", "00:05:00");
        var mailer = mail.CreateInstance().GetRequiredService<ISystemMailer>();
        mail.Graph.Fail(GraphTestFailure.ServiceUnavailable(retryAfter: 15));
        var first = await Assert.ThrowsAsync<SystemMailException>(() => GraphTransportTests.SendAsync(mailer, SystemMailKind.Test, "first@contoso.test"));

        // Act
        var second = GraphTransportTests.SendAsync(mailer, SystemMailKind.Test, "second@contoso.test");
        await MoveClockUntilAsync(clock, second);

        // Assert
        await second;
        Assert.Equal(TimeSpan.FromSeconds(15), first.RetryAfter);
        var answers = mail.Graph.Answers;
        Assert.Equal([503, 202], answers.Select(a => a.Status));
        Assert.InRange(answers[1].At - answers[0].At, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(17));
    }

    [Fact]
    public async Task SendAsync_RetryAfterLongerThanMaxDelay_FailsAtOnceWithIt()
    {
        // Arrange
        await using var mail = await GraphMail.StartAsync(cancellationToken: Ct);
        mail.Change("Retry:MaxRetryAttempts", "3");
        mail.Change("Retry:MaxDelay", "00:00:30");
        var mailer = mail.CreateInstance().GetRequiredService<ISystemMailer>();
        mail.Graph.Fail(GraphTestFailure.TooManyRequests(retryAfter: 600));

        // Act
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => GraphTransportTests.SendAsync(mailer, SystemMailKind.Test, "user@contoso.test"));
        var next = await Assert.ThrowsAsync<SystemMailException>(() => GraphTransportTests.SendAsync(mailer, SystemMailKind.Test, "next@contoso.test"));

        // Assert: not retried; the next mail is not sent into the pause either.
        Assert.Equal(TimeSpan.FromSeconds(600), ex.RetryAfter);
        Assert.Equal(1, mail.Graph.Requests);
        Assert.Equal(SystemMailErrorKind.Throttled, next.Kind);
        Assert.Equal(nameof(Hints.GraphThrottled), next.HintId);
        Assert.InRange(next.RetryAfter!.Value, TimeSpan.FromSeconds(590), TimeSpan.FromSeconds(600));
        Assert.Contains("600 s", ex.GetHint(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_GraphBaseUrlWhereNothingListens_ConnectionWithUnreachableHint()
    {
        // Arrange
        await using var mail = await GraphMail.StartAsync(cancellationToken: Ct);
        mail.Change("GraphBaseUrl", $"https://127.0.0.1:{Infrastructure.TcpPorts.GetUnusedPort()}/");
        var mailer = mail.CreateInstance().GetRequiredService<ISystemMailer>();

        // Act
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => GraphTransportTests.SendAsync(mailer, SystemMailKind.Test, "user@contoso.test"));

        // Assert
        Assert.Equal(SystemMailErrorKind.Connection, ex.Kind);
        Assert.Equal(nameof(Hints.GraphUnreachable), ex.HintId);
        Assert.Null(ex.StatusCode);
    }

    private static GraphTestFailure Failure(string name) => name switch
    {
        nameof(GraphTestFailure.TooManyRequests) => GraphTestFailure.TooManyRequests(retryAfter: 7),
        nameof(GraphTestFailure.MailboxConcurrency) => GraphTestFailure.MailboxConcurrency(retryAfter: 3),
        nameof(GraphTestFailure.ServiceUnavailable) => GraphTestFailure.ServiceUnavailable(retryAfter: 5),
        _ => (GraphTestFailure)typeof(GraphTestFailure).GetProperty(name)!.GetValue(null)!,
    };

    /// <summary>Moves the fake clock a second at a time, giving the real I/O a moment between steps, until <paramref name="task"/> ends.</summary>
    private static async Task MoveClockUntilAsync(FakeTimeProvider clock, Task task)
    {
        for (var step = 0; step < 120 && !task.IsCompleted; step++)
        {
            await Task.WhenAny(task, Task.Delay(50, Ct));
            if (!task.IsCompleted)
            {
                clock.Advance(TimeSpan.FromSeconds(1));
            }
        }
    }
}
