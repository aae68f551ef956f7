using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace SystemMail.EntityFrameworkCore;

/// <summary>The dispatcher's side of the store: claims with leases, and the outcome of each send.</summary>
internal sealed partial class OutboxStore<TContext>
{
    /// <summary>
    /// Claims up to <paramref name="count"/> due mails for <paramref name="leaseDuration"/>: reads candidates, then one
    /// <c>UPDATE … WHERE Id IN (…) AND Status = Pending AND (LeaseUntil IS NULL OR LeaseUntil &lt; now)</c> that stamps
    /// them with a new claim token. The database applies the condition to each row as it updates it, so of two
    /// instances claiming the same mail only one changes it; the rows carrying this claim's token are this claim's.
    /// </summary>
    public Task<List<SystemMailOutboxMessage>> ClaimAsync(int count, string owner, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        var now = Now;
        var until = now + leaseDuration;
        var token = Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);
        return UseAsync(
            async (context, ct) =>
            {
                // The oldest due mails, a random part of them: instances claiming at the same moment mostly take
                // different mails instead of all racing for the same few.
                var due = await context.SystemMailOutbox.AsNoTracking()
                    .Where(m => m.Status == OutboxMailStatus.Pending && m.NextAttemptAt <= now && (m.LeaseUntil == null || m.LeaseUntil < now))
                    .OrderBy(m => m.NextAttemptAt)
                    .Select(m => m.Id)
                    .Take(count * 4)
                    .ToListAsync(ct).ConfigureAwait(false);
                var candidates = due.Count <= count ? due : Pick(due, count);
                if (candidates.Count == 0)
                {
                    return [];
                }

                var claimed = await context.SystemMailOutbox
                    .Where(m => candidates.Contains(m.Id) && m.Status == OutboxMailStatus.Pending && (m.LeaseUntil == null || m.LeaseUntil < now))
                    .ExecuteUpdateAsync(
                        s => s.SetProperty(m => m.LeaseOwner, owner).SetProperty(m => m.LeaseToken, token).SetProperty(m => m.LeaseUntil, until),
                        ct).ConfigureAwait(false);
                return claimed == 0
                    ? []
                    : await context.SystemMailOutbox.AsNoTracking().Where(m => m.LeaseToken == token).OrderBy(m => m.NextAttemptAt).ToListAsync(ct).ConfigureAwait(false);
            },
            cancellationToken);
    }

    /// <summary>Gives claimed mails back unsent (the sending limit had no room for them).</summary>
    public Task ReleaseAsync(IReadOnlyList<SystemMailOutboxMessage> rows, CancellationToken cancellationToken)
    {
        var ids = rows.Select(r => r.Id).ToList();
        var token = rows.Count == 0 ? null : rows[0].LeaseToken;
        return UseAsync(
            (context, ct) => context.SystemMailOutbox
                .Where(m => ids.Contains(m.Id) && m.LeaseToken == token)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.LeaseToken, (string?)null).SetProperty(m => m.LeaseUntil, (DateTime?)null), ct),
            cancellationToken);
    }

    /// <summary>Marks the mails of one claim the server accepted as sent, in one statement, and ends their leases.</summary>
    /// <returns>How many were still this claim's (fewer when another instance took some over meanwhile).</returns>
    public Task<int> MarkSentAsync(IReadOnlyCollection<SystemMailOutboxMessage> rows, bool keepBody, CancellationToken cancellationToken)
    {
        var now = Now;
        var ids = rows.Select(r => r.Id).ToList();
        var token = rows.First().LeaseToken;
        return UseAsync(
            (context, ct) => context.SystemMailOutbox
                .Where(m => ids.Contains(m.Id) && m.LeaseToken == token)
                .ExecuteUpdateAsync(
                    s =>
                    {
                        s.SetProperty(m => m.Status, OutboxMailStatus.Sent)
                            .SetProperty(m => m.CompletedAt, now)
                            .SetProperty(m => m.Attempts, m => m.Attempts + 1)
                            .SetProperty(m => m.LeaseToken, (string?)null)
                            .SetProperty(m => m.LeaseUntil, (DateTime?)null);
                        if (!keepBody)
                        {
                            s.SetProperty(m => m.Body, (byte[]?)null);
                        }
                    },
                    ct),
            cancellationToken);
    }

    public Task<bool> MarkRetryAsync(SystemMailOutboxMessage row, DateTime nextAttemptAt, SystemMailException failure, CancellationToken cancellationToken) =>
        CompleteAsync(
            row,
            s => Failure(s, failure)
                .SetProperty(m => m.NextAttemptAt, nextAttemptAt)
                .SetProperty(m => m.Attempts, m => m.Attempts + 1),
            cancellationToken);

    public Task<bool> MarkDeadLetteredAsync(SystemMailOutboxMessage row, SystemMailException? failure, CancellationToken cancellationToken)
    {
        var now = Now;
        var attempted = failure is null ? 0 : 1;
        return CompleteAsync(
            row,
            s => Failure(s, failure)
                .SetProperty(m => m.Status, OutboxMailStatus.DeadLettered)
                .SetProperty(m => m.CompletedAt, now)
                .SetProperty(m => m.Attempts, m => m.Attempts + attempted),
            cancellationToken);
    }

    public Task<bool> MarkExpiredAsync(SystemMailOutboxMessage row, CancellationToken cancellationToken)
    {
        var now = Now;
        return CompleteAsync(
            row,
            s => s.SetProperty(m => m.Status, OutboxMailStatus.Expired).SetProperty(m => m.CompletedAt, now).SetProperty(m => m.Body, (byte[]?)null),
            cancellationToken);
    }

    /// <summary>Marks every pending, unleased mail past its not-after time as expired and deletes its body.</summary>
    /// <returns>How many mails expired.</returns>
    public Task<int> ExpireDueAsync(CancellationToken cancellationToken)
    {
        var now = Now;
        return UseAsync(
            (context, ct) => context.SystemMailOutbox
                .Where(m => m.Status == OutboxMailStatus.Pending && m.NotAfter < now && (m.LeaseUntil == null || m.LeaseUntil < now))
                .ExecuteUpdateAsync(
                    s => s.SetProperty(m => m.Status, OutboxMailStatus.Expired)
                        .SetProperty(m => m.CompletedAt, now)
                        .SetProperty(m => m.Body, (byte[]?)null)
                        .SetProperty(m => m.LeaseToken, (string?)null),
                    ct),
            cancellationToken);
    }

    /// <summary>Deletes the bodies of mails sent longer ago than the retention, and the rows of mails done longer ago than theirs.</summary>
    public Task<int> CleanUpAsync(TimeSpan bodyRetention, TimeSpan rowRetention, CancellationToken cancellationToken)
    {
        var now = Now;
        var bodiesBefore = now - bodyRetention;
        var rowsBefore = now - rowRetention;
        return UseAsync(
            async (context, ct) =>
            {
                await context.SystemMailOutbox
                    .Where(m => m.Status == OutboxMailStatus.Sent && m.Body != null && m.CompletedAt < bodiesBefore)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.Body, (byte[]?)null), ct).ConfigureAwait(false);
                return await context.SystemMailOutbox
                    .Where(m => m.Status != OutboxMailStatus.Pending && m.CompletedAt < rowsBefore)
                    .ExecuteDeleteAsync(ct).ConfigureAwait(false);
            },
            cancellationToken);
    }

    private static List<Guid> Pick(List<Guid> due, int count)
    {
        var picked = due.ToArray();
#pragma warning disable CA5394 // Spreading claims, not security.
        Random.Shared.Shuffle(picked);
#pragma warning restore CA5394
        return [.. picked.Take(count)];
    }

    private static UpdateSettersBuilder<SystemMailOutboxMessage> Failure(UpdateSettersBuilder<SystemMailOutboxMessage> s, SystemMailException? failure) =>
        s.SetProperty(m => m.LastErrorKind, (failure?.Kind ?? SystemMailErrorKind.Unknown).ToString())
            .SetProperty(m => m.LastStatusCode, failure?.StatusCode)
            .SetProperty(m => m.LastHintId, failure?.HintId);

    /// <summary>Writes a send's outcome and ends the lease, only while this claim still holds the mail.</summary>
    private Task<bool> CompleteAsync(SystemMailOutboxMessage row, Action<UpdateSettersBuilder<SystemMailOutboxMessage>> set, CancellationToken cancellationToken)
    {
        var id = row.Id;
        var token = row.LeaseToken;
        return UseAsync(
            async (context, ct) => await context.SystemMailOutbox
                .Where(m => m.Id == id && m.LeaseToken == token)
                .ExecuteUpdateAsync(
                    s =>
                    {
                        set(s);
                        s.SetProperty(m => m.LeaseToken, (string?)null).SetProperty(m => m.LeaseUntil, (DateTime?)null);
                    },
                    ct).ConfigureAwait(false) == 1,
            cancellationToken);
    }
}
