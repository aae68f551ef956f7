using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SystemMail.Benchmarks.Server;
using SystemMail.EntityFrameworkCore;

namespace SystemMail.Benchmarks.Outbox;

/// <summary>What the outbox proofs share: queueing, waiting for the drain, and the server's arrivals per window.</summary>
internal static class OutboxProofKit
{
    /// <summary>Queues <paramref name="mails"/> activation mails in batches of 500 and returns their Message-Ids.</summary>
    public static async Task<List<string>> QueueAsync(ServiceProvider host, int mails, CancellationToken cancellationToken, string? prepare = null)
    {
        var factory = host.GetRequiredService<IDbContextFactory<BenchDbContext>>();
        var outbox = host.GetRequiredService<ISystemMailOutbox>();
        await using (var context = await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            await context.Database.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
            if (prepare is not null)
            {
                await context.Database.ExecuteSqlRawAsync(prepare, cancellationToken).ConfigureAwait(false);
            }
        }

        for (var done = 0; done < mails; done += 500)
        {
            await using var context = await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            var queue = outbox.In(context);
            for (var i = done; i < Math.Min(mails, done + 500); i++)
            {
                await queue.QueueActivationAsync(Mail.ActivationMail.Recipient, Mail.ActivationMail.Link, Mail.ActivationMail.Lifetime, Mail.ActivationMail.Culture, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var read = await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await read.SystemMailOutbox.Select(m => m.MessageId!).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts the host's dispatcher.</summary>
    public static async Task<List<IHostedService>> StartAsync(ServiceProvider host, CancellationToken cancellationToken)
    {
        var dispatchers = host.GetServices<IHostedService>().ToList();
        foreach (var dispatcher in dispatchers)
        {
            await dispatcher.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        return dispatchers;
    }

    /// <summary>Waits until no mail is pending and returns the rows' outcome.</summary>
    public static async Task<Outcome> DrainedAsync(ServiceProvider host, CancellationToken cancellationToken)
    {
        var factory = host.GetRequiredService<IDbContextFactory<BenchDbContext>>();
        while (true)
        {
            await using var context = await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            if (!await context.SystemMailOutbox.AnyAsync(m => m.Status == OutboxMailStatus.Pending, cancellationToken).ConfigureAwait(false))
            {
                var rows = await context.SystemMailOutbox.AsNoTracking()
                    .Select(m => new { m.Status, m.Attempts, m.LastErrorKind })
                    .ToListAsync(cancellationToken).ConfigureAwait(false);
                return new Outcome(
                    rows.Count(r => r.Status == OutboxMailStatus.Sent),
                    rows.Count(r => r.Status == OutboxMailStatus.DeadLettered),
                    rows.Count(r => r.LastErrorKind == nameof(SystemMailErrorKind.Throttled)),
                    rows.Sum(r => Math.Max(0, r.Attempts - 1)));
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The most mails the server received in any window of <paramref name="window"/> (a sliding window, as a provider counts).</summary>
    public static int MostPerWindow(IReadOnlyList<long> arrivals, TimeSpan window)
    {
        var sorted = arrivals.Order().ToArray();
        var ticks = (long)(window.TotalSeconds * Stopwatch.Frequency);
        var most = 0;
        for (int first = 0, last = 0; last < sorted.Length; last++)
        {
            while (sorted[last] - sorted[first] >= ticks)
            {
                first++;
            }

            most = Math.Max(most, last - first + 1);
        }

        return most;
    }

    /// <summary>Seconds from the first to the last arrival.</summary>
    public static double Span(IReadOnlyList<long> arrivals) =>
        arrivals.Count < 2 ? 0 : (arrivals.Max() - arrivals.Min()) / (double)Stopwatch.Frequency;

    /// <summary>How the server received the queued mails: delivered, lost and extra copies by Message-Id.</summary>
    public static (int Delivered, int Lost, int Duplicates) Count(BenchmarkSmtpServer server, List<string> ids)
    {
        var received = server.MessageIds;
        var delivered = ids.Count(received.ContainsKey);
        return (delivered, ids.Count - delivered, received.Values.Sum(n => n - 1));
    }

    /// <summary>The rows once drained: sent, dead-lettered, last failed as throttled, and retries.</summary>
    internal readonly record struct Outcome(int Sent, int DeadLettered, int Throttled, int Retries);
}
