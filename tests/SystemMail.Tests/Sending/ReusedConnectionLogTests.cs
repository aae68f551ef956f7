using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.Sending;

/// <summary>What the pool logs when the server dropped an idle connection (it restarted, or timed the connection out).</summary>
public sealed class ReusedConnectionLogTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SendTestMailAsync_ServerDroppedTheIdleConnection_LogLineQuotesNoEarlierReply(bool with421)
    {
        // Arrange: the server closes each connection after its first mail, as one that restarts would.
        var ct = TestContext.Current.CancellationToken;
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { AuthOptional = true }, ct);
        await server.SetBehaviourAsync(
            new SmtpTestServerBehaviour { CloseAfterMessages = 1, CloseReply = with421 ? new SmtpTestReply(421, "4.3.2 Service shutting down") : null },
            ct);
        await using var mail = TestMailer.For(server, o => o.PoolSize = 1);
        var first = await mail.Mailer.SendTestMailAsync("first@example.com", cancellationToken: ct);

        // Act
        var second = await mail.Mailer.SendTestMailAsync("second@example.com", cancellationToken: ct);

        // Assert: the first mail's "queued as" id belongs to the first mail's lines only.
        Assert.NotEqual(first.ServerResponse, second.ServerResponse);
        var records = mail.Logs.Collector.GetSnapshot();
        var dropped = Assert.Single(records, r => r.Id.Name == "ReusedConnectionDropped");
        Assert.Null(dropped.Exception);
        Assert.Contains(with421 ? "(reply 421)" : "(disconnected)", dropped.Message, StringComparison.Ordinal);
        Assert.All(records, r => Assert.DoesNotContain(first.ServerResponse, r.Message + r.Exception, StringComparison.Ordinal));
    }
}
