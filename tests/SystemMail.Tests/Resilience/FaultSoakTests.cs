using System.Collections.Concurrent;
using System.Diagnostics;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.Resilience;

/// <summary>
/// 5,000 mails from 32 callers against a real SMTP server that cuts connections and answers 421/451 at random:
/// no mail is lost silently, none is delivered twice unless its connection was cut after the server stored it,
/// and the pool ends with no connection leaked.
/// </summary>
public sealed class FaultSoakTests
{
    private const int Mails = 5000;
    private const int Callers = 32;

    [Fact]
    public async Task SendAsync_5000MailsFrom32CallersAgainstAMisbehavingServer_NoSilentLossNoUnexplainedDuplicate()
    {
        // Bounded: the run stops by itself.
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(TimeSpan.FromMinutes(4));
        var ct = bound.Token;
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { AuthOptional = true }, ct);
        await server.SetBehaviourAsync(new SmtpTestServerBehaviour { Chaos = new SmtpTestChaos(DropRate: 0.02, FailRate: 0.05, Seed: 20261124) }, ct);
        await using var mail = TestMailer.For(server, o =>
        {
            o.Security = SmtpSecurity.None;
            o.Authentication = SmtpAuthenticationType.None;
            o.PoolSize = 8;
            o.Timeout = TimeSpan.FromSeconds(5);
            o.Retry.MaxRetryAttempts = 5;
            o.Retry.Delay = TimeSpan.FromMilliseconds(5);
            o.Retry.MaxDelay = TimeSpan.FromMilliseconds(100);
        });

        var delivered = new ConcurrentDictionary<string, bool>();
        var failed = new ConcurrentDictionary<string, SystemMailException>();
        var next = -1;
        var started = Stopwatch.StartNew();

        // Act: 32 callers share 5,000 mails, each with its own Message-Id, known to the caller before sending.
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => Task.Run(
            async () =>
            {
                while (Interlocked.Increment(ref next) is var i && i < Mails)
                {
                    var message = new MimeKit.MimeMessage { Subject = $"Soak {i}", MessageId = $"soak-{i}@systemmail.test" };
                    message.To.Add(MimeKit.MailboxAddress.Parse($"user{i}@acme.test"));
                    message.Body = new MimeKit.TextPart("plain") { Text = $"Mail {i}" };
                    try
                    {
                        await mail.Mailer.SendAsync(message, ct);
                        delivered[message.MessageId] = true;
                    }
                    catch (SystemMailException ex)
                    {
                        failed[message.MessageId] = ex;
                    }
                }
            },
            ct)));
        var elapsed = started.Elapsed;

        // Assert: count at the server by Message-Id.
        var received = (await server.GetMessagesAsync(ct)).GroupBy(m => m.Message.MessageId ?? string.Empty).ToDictionary(g => g.Key, g => g.Count());
        var stats = await server.GetStatsAsync(ct);
        var cutAfterStoring = stats.DroppedAfterData.OfType<string>().ToHashSet();

        Assert.Equal(Mails, delivered.Count + failed.Count);
        var lost = delivered.Keys.Where(id => !received.ContainsKey(id)).ToList();
        Assert.Empty(lost);
        var unexplainedDuplicates = received.Where(r => r.Value > 1 && !cutAfterStoring.Contains(r.Key)).ToList();
        Assert.Empty(unexplainedDuplicates);
        var failedYetStoredWithoutCut = failed.Keys.Where(id => received.ContainsKey(id) && !cutAfterStoring.Contains(id)).ToList();
        Assert.Empty(failedYetStoredWithoutCut);
        Assert.All(failed.Values, ex => Assert.True(ex.IsTransient, $"{ex.Kind}: {ex.Message}"));

        // The server really misbehaved, and the pool kept no connection in use.
        Assert.True(stats.ChaosDrops > 100 && stats.ChaosFailures > 300, $"drops {stats.ChaosDrops}, failures {stats.ChaosFailures}");
        Assert.Equal(mail.Pool.OpenConnections, mail.Pool.IdleConnections);
        Assert.InRange(mail.Pool.OpenConnections, 0, 8);

        var duplicates = received.Count(r => r.Value > 1);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{Mails} mails, {Callers} callers, {elapsed.TotalSeconds:0.0} s: delivered {delivered.Count}, failed {failed.Count}; " +
            $"server: {stats.ChaosFailures} 421/451 replies, {stats.ChaosDrops} cut connections ({cutAfterStoring.Count} after storing the mail), " +
            $"{stats.Connections} connections; duplicates {duplicates} (all after a cut following the end of DATA); pool open {mail.Pool.OpenConnections}, idle {mail.Pool.IdleConnections}.");
    }
}
