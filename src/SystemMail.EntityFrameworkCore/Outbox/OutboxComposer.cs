using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using MimeKit;

namespace SystemMail.EntityFrameworkCore;

/// <summary>
/// Turns a queue call into an outbox row: the mail rendered at once under the current settings, serialized as MIME
/// and protected with Data Protection, with its not-after time and idempotency key. Reads the bodies back for the
/// dispatcher.
/// </summary>
internal sealed class OutboxComposer
{
    public const string CustomKind = "custom";

    private readonly SystemMailer _mailer;
    private readonly IDataProtector _protector;
    private readonly TimeProvider _time;
    private readonly IOptionsMonitor<SystemMailOutboxOptions> _options;

    public OutboxComposer(SystemMailer mailer, IDataProtectionProvider dataProtection, TimeProvider time, IOptionsMonitor<SystemMailOutboxOptions> options)
    {
        _mailer = mailer;
        _protector = dataProtection.CreateProtector("SystemMail.Outbox.Body.v1");
        _time = time;
        _options = options;
    }

    public Task PrepareAsync(MailRequest request, CancellationToken cancellationToken) => _mailer.PrepareAsync(request, cancellationToken);

    public SystemMailOutboxMessage Compose(MailRequest request, OutboxMailOptions? options)
    {
        var key = CheckOptions(options, out var notAfter);
        using var message = _mailer.Compose(request);
        // The sender is the server's: filled when the mail is sent, from the settings then.
        message.From.Clear();
        return Row(request.Kind.ToString(), message, request.Lifetime, notAfter, key);
    }

    public SystemMailOutboxMessage Compose(MimeMessage message, OutboxMailOptions? options)
    {
        ArgumentNullException.ThrowIfNull(message);
        var key = CheckOptions(options, out var notAfter);
        _mailer.StampForQueue(message);
        return Row(CustomKind, message, lifetime: null, notAfter, key);
    }

    public MimeMessage ReadBody(byte[] body)
    {
        var bytes = _protector.Unprotect(body);
        using var stream = new MemoryStream(bytes, writable: false);
        return MimeMessage.Load(stream);
    }

    private SystemMailOutboxMessage Row(string kind, MimeMessage message, TimeSpan? lifetime, DateTimeOffset? notAfter, string? key)
    {
        var now = _time.GetUtcNow();
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        return new SystemMailOutboxMessage
        {
            Id = Guid.CreateVersion7(now),
            Kind = kind,
            Status = OutboxMailStatus.Pending,
            IdempotencyKey = key,
            Body = _protector.Protect(stream.ToArray()),
            MessageId = message.MessageId,
            QueuedAt = now.UtcDateTime,
            NotAfter = (notAfter ?? now + (lifetime ?? _options.CurrentValue.DefaultLifetime)).UtcDateTime,
            NextAttemptAt = now.UtcDateTime,
        };
    }

    private string? CheckOptions(OutboxMailOptions? options, out DateTimeOffset? notAfter)
    {
        notAfter = options?.NotAfter;
        if (notAfter is { } time && time <= _time.GetUtcNow())
        {
            throw new ArgumentOutOfRangeException(nameof(options), time, "The not-after time has passed already: the mail would never be sent.");
        }

        var key = options?.IdempotencyKey;
        if (key is null)
        {
            return null;
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(key, nameof(options));
        if (key.Length > SystemMailOutboxMessage.MaxIdempotencyKeyLength)
        {
            throw new ArgumentException($"An idempotency key has at most {SystemMailOutboxMessage.MaxIdempotencyKeyLength} characters; this one has {key.Length}.", nameof(options));
        }

        return key;
    }
}
