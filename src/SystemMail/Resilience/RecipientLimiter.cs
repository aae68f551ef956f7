using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace SystemMail;

/// <summary>
/// Counts the mails anyone can request per recipient (<see cref="SystemMailRecipientLimitOptions"/>) in a sliding window:
/// the entry of a recipient holds the times of its last mails. The entries live in the host's
/// <see cref="IDistributedCache"/> when one is registered, so every instance counts the same mails, else in memory.
/// </summary>
/// <remarks>
/// <para>An entry is named by an HMAC-SHA256 of the lower-cased address, so the cache never holds an address. The HMAC
/// key is random, made by the first instance and kept in the cache beside the entries (an instance that finds one uses
/// it), so every instance names a recipient alike.</para>
/// <para><see cref="IDistributedCache"/> has no atomic increment: mails are counted one at a time per instance, and two
/// instances counting the same recipient at the same moment may each let one more through.</para>
/// <para>A cache that cannot be reached does not stop the mail: the failure is logged and the mail is sent.</para>
/// </remarks>
internal sealed class RecipientLimiter : IDisposable
{
    private const string Prefix = "systemmail:recipient-limit:";
    private const string KeyEntry = Prefix + "key";
    private const int KeyBytes = 32;

    private readonly IDistributedCache _cache;
    private readonly TimeProvider _time;
    private readonly SystemMailTelemetry _telemetry;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public RecipientLimiter(IDistributedCache? cache, TimeProvider time, SystemMailTelemetry telemetry, ILogger<RecipientLimiter>? logger = null)
    {
        _cache = cache ?? new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()));
        _time = time;
        _telemetry = telemetry;
        _logger = logger ?? NullLogger<RecipientLimiter>.Instance;
    }

    /// <summary>Gets whether mails of <paramref name="kind"/> count: the ones anyone can request for any address.</summary>
    public static bool Applies(SystemMailKind kind) =>
        kind is SystemMailKind.Activation or SystemMailKind.PasswordReset or SystemMailKind.PasswordResetCode or SystemMailKind.VerificationCode;

    /// <summary>Counts one mail of <paramref name="kind"/> to <paramref name="address"/>, or throws <see cref="SystemMailErrorKind.RecipientLimited"/> past the limit.</summary>
    public async Task AcquireAsync(SystemMailKind kind, string address, SystemMailRecipientLimitOptions? options, CancellationToken cancellationToken)
    {
        if (!Applies(kind) || options is not { Enabled: true } limit)
        {
            return;
        }

        TimeSpan? retryAfter;
        string recipient;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            recipient = Convert.ToHexStringLower(HMACSHA256.HashData(await KeyAsync(cancellationToken).ConfigureAwait(false), Encoding.UTF8.GetBytes(address.ToLowerInvariant())));
            retryAfter = await CountAsync(Prefix + recipient, limit, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.RecipientLimitUnavailable(_logger, ex);
            return;
        }
        finally
        {
            _gate.Release();
        }

        if (retryAfter is { } wait)
        {
            _telemetry.MailsLimited.Add(1, new KeyValuePair<string, object?>("systemmail.mail.kind", kind.ToString()));
            // The recipient is named by the start of its HMAC: enough to tell recipients apart in the log, never the address.
            Log.RecipientLimited(_logger, kind.ToString(), recipient[..12], limit.PermitLimit, limit.Window);
            throw new SystemMailException(
                SystemMailErrorKind.RecipientLimited,
                $"The recipient already received {limit.PermitLimit} such mails within {limit.Window:c}; the mail was not sent.",
                Hints.RecipientLimited(limit.PermitLimit, limit.Window))
            {
                RetryAfter = wait,
            };
        }
    }

    /// <summary>Adds a mail to the entry's times, or gives how long until the oldest leaves the window when it is full.</summary>
    private async Task<TimeSpan?> CountAsync(string entry, SystemMailRecipientLimitOptions limit, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var windowStart = now - (long)limit.Window.TotalMilliseconds;
        var stored = await _cache.GetAsync(entry, cancellationToken).ConfigureAwait(false) ?? [];
        var times = new List<long>(limit.PermitLimit);
        for (var i = 0; i + sizeof(long) <= stored.Length; i += sizeof(long))
        {
            var time = BinaryPrimitives.ReadInt64LittleEndian(stored.AsSpan(i));
            if (time > windowStart && time <= now)
            {
                times.Add(time);
            }
        }

        if (times.Count >= limit.PermitLimit)
        {
            return TimeSpan.FromMilliseconds(times.Min() - windowStart);
        }

        times.Add(now);
        var updated = new byte[times.Count * sizeof(long)];
        for (var i = 0; i < times.Count; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(updated.AsSpan(i * sizeof(long)), times[i]);
        }

        // The entry outlives its newest mail by the window, by the cache's own clock.
        await _cache.SetAsync(entry, updated, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = limit.Window }, cancellationToken).ConfigureAwait(false);
        return null;
    }

    /// <summary>
    /// The HMAC key: the one in the cache, or a new one put there. It is read for every mail, not kept: two instances
    /// that made a key at the same moment both use the one the cache kept from then on, as after a cache that lost it.
    /// </summary>
    private async Task<byte[]> KeyAsync(CancellationToken cancellationToken)
    {
        if (await _cache.GetAsync(KeyEntry, cancellationToken).ConfigureAwait(false) is not { Length: KeyBytes } key)
        {
            await _cache.SetAsync(KeyEntry, RandomNumberGenerator.GetBytes(KeyBytes), new DistributedCacheEntryOptions(), cancellationToken).ConfigureAwait(false);
            key = await _cache.GetAsync(KeyEntry, cancellationToken).ConfigureAwait(false) is { Length: KeyBytes } kept
                ? kept
                : throw new InvalidOperationException("The cache did not keep the recipient limit's key.");
        }

        return key;
    }

    public void Dispose() => _gate.Dispose();
}
