using System.Buffers.Binary;

namespace SystemMail.EntityFrameworkCore;

/// <summary>
/// The provider's sending limit for every instance together: a log of the permits granted in the last window, kept in
/// one row of SystemMail's records and changed only by compare-and-swap, so all instances together never take more
/// than the limit in any window, however many there are.
/// </summary>
/// <remarks>
/// The log holds one entry (time, count) per grant, dropped once it is older than the window. A mail waits for its
/// permit in the database (pending, unclaimed), not in memory. The window the gate keeps is longer than the
/// provider's by a margin, for the time a mail spends between its permit and the server; a mail takes its permit
/// just before it is sent.
/// </remarks>
internal sealed class OutboxRateGate
{
    public const string Key = "outbox:rate";

    private const int EntrySize = 12;
    private const int MaxAttempts = 50;

    private readonly IOAuthTokenStore _records;
    private readonly TimeProvider _time;

    public OutboxRateGate(IOAuthTokenStore records, TimeProvider time)
    {
        _records = records;
        _time = time;
    }

    /// <summary>Takes one permit.</summary>
    /// <returns>The time the permit is logged at (for <see cref="RestampAsync"/>), or <see langword="null"/> when none was free.</returns>
    public async Task<long?> AcquireAsync(SmtpSendingLimit limit, CancellationToken cancellationToken)
    {
        var window = Window(limit);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var now = _time.GetUtcNow();
            var entry = await _records.GetAsync(Key, cancellationToken).ConfigureAwait(false);
            var grants = Decode(entry?.Value, now.UtcTicks - window.Ticks);
            if (Room(grants, limit, window).Free == 0)
            {
                return null;
            }

            grants.Add((now.UtcTicks, 1));
            grants.Sort((a, b) => a.At.CompareTo(b.At));
            if (await _records.TrySaveAsync(Key, Encode(grants), entry?.Version, cancellationToken).ConfigureAwait(false) is not null)
            {
                return now.UtcTicks;
            }

            // Another instance took permits meanwhile: read again.
        }

        return null;
    }

    /// <summary>
    /// Moves one permit of the grant logged at <paramref name="grantedAt"/> to now, when its mail is done: the server
    /// counted the mail between the two, so from then on the log counts it from the later time. A permit whose mail
    /// took long on the way (a new connection, a slow handshake) is thus never freed while the server still counts it.
    /// </summary>
    public async Task RestampAsync(long grantedAt, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var entry = await _records.GetAsync(Key, cancellationToken).ConfigureAwait(false);
            if (entry is null)
            {
                return;
            }

            var now = _time.GetUtcNow().UtcTicks;
            var grants = Decode(entry.Value, long.MinValue);
            var index = grants.FindIndex(g => g.At == grantedAt);
            if (index < 0)
            {
                return;
            }

            grants[index] = (grantedAt, grants[index].Count - 1);
            grants.RemoveAll(g => g.Count == 0);
            grants.Add((now, 1));
            grants.Sort((a, b) => a.At.CompareTo(b.At));
            if (await _records.TrySaveAsync(Key, Encode(grants), entry.Version, cancellationToken).ConfigureAwait(false) is not null)
            {
                return;
            }
        }
    }

    /// <summary>Reads how many permits are free now, without taking any.</summary>
    /// <returns>The free permits, and when none is free, the time the next one frees up.</returns>
    public async Task<(int Free, DateTimeOffset? FreeAt)> PeekAsync(SmtpSendingLimit limit, CancellationToken cancellationToken)
    {
        var window = Window(limit);
        var entry = await _records.GetAsync(Key, cancellationToken).ConfigureAwait(false);
        return Room(Decode(entry?.Value, _time.GetUtcNow().UtcTicks - window.Ticks), limit, window);
    }

    /// <summary>The permits the log of the current window leaves free, and when none is, the time the next one frees up.</summary>
    private static (int Free, DateTimeOffset? FreeAt) Room(List<(long At, int Count)> grants, SmtpSendingLimit limit, TimeSpan window)
    {
        var used = grants.Sum(g => g.Count);
        var free = limit.PermitLimit - used;
        return free > 0 ? (free, null) : (0, FreeAt(grants, used - limit.PermitLimit + 1, window));
    }

    /// <summary>
    /// The window the gate keeps: the provider's and a margin for the time between a permit and the server's count
    /// of the mail and for clocks of instances that differ a little: a quarter of a second, at most half the window. A
    /// permit is moved to the end of its mail when the mail is done (<see cref="RestampAsync"/>), so the time on the way
    /// needs no share of the window.
    /// </summary>
    private static TimeSpan Window(SmtpSendingLimit limit)
    {
        var margin = TimeSpan.FromMilliseconds(250);
        return limit.Window + (margin < limit.Window / 2 ? margin : limit.Window / 2);
    }

    private static DateTimeOffset FreeAt(List<(long At, int Count)> grants, int needed, TimeSpan window)
    {
        var freed = 0;
        foreach (var (at, count) in grants)
        {
            freed += count;
            if (freed >= needed)
            {
                return new DateTimeOffset(at, TimeSpan.Zero) + window;
            }
        }

        return new DateTimeOffset(grants[^1].At, TimeSpan.Zero) + window;
    }

    private static List<(long At, int Count)> Decode(ReadOnlyMemory<byte>? value, long after)
    {
        var grants = new List<(long, int)>();
        if (value is not { } bytes)
        {
            return grants;
        }

        var span = bytes.Span;
        for (var offset = 0; offset + EntrySize <= span.Length; offset += EntrySize)
        {
            var at = BinaryPrimitives.ReadInt64LittleEndian(span[offset..]);
            if (at > after)
            {
                grants.Add((at, BinaryPrimitives.ReadInt32LittleEndian(span[(offset + 8)..])));
            }
        }

        return grants;
    }

    private static byte[] Encode(List<(long At, int Count)> grants)
    {
        var bytes = new byte[grants.Count * EntrySize];
        for (var i = 0; i < grants.Count; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * EntrySize), grants[i].At);
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan((i * EntrySize) + 8), grants[i].Count);
        }

        return bytes;
    }
}
