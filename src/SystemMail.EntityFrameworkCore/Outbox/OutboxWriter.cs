using System.Globalization;
using MimeKit;

namespace SystemMail.EntityFrameworkCore;

/// <summary>The queue calls of <see cref="ISystemMailOutboxWriter"/>: each composes its row; where the row goes is the subclass's.</summary>
internal abstract class OutboxWriter : ISystemMailOutboxWriter
{
    private readonly OutboxComposer _composer;

    protected OutboxWriter(OutboxComposer composer)
    {
        _composer = composer;
    }

    public Task<Guid> QueueActivationAsync(string recipient, Uri activationLink, TimeSpan linkLifetime, CultureInfo? culture = null, OutboxMailOptions? options = null, CancellationToken cancellationToken = default) =>
        QueueAsync(MailRequest.Activation(recipient, activationLink, linkLifetime, culture), options, cancellationToken);

    public Task<Guid> QueueAccountActivatedAsync(string recipient, Uri loginLink, CultureInfo? culture = null, OutboxMailOptions? options = null, CancellationToken cancellationToken = default) =>
        QueueAsync(MailRequest.AccountActivated(recipient, loginLink, culture), options, cancellationToken);

    public Task<Guid> QueuePasswordResetAsync(string recipient, Uri resetLink, TimeSpan linkLifetime, CultureInfo? culture = null, OutboxMailOptions? options = null, CancellationToken cancellationToken = default) =>
        QueueAsync(MailRequest.PasswordReset(recipient, resetLink, linkLifetime, culture), options, cancellationToken);

    public Task<Guid> QueuePasswordWasResetAsync(string recipient, Uri loginLink, CultureInfo? culture = null, OutboxMailOptions? options = null, CancellationToken cancellationToken = default) =>
        QueueAsync(MailRequest.PasswordWasReset(recipient, loginLink, culture), options, cancellationToken);

    public Task<Guid> QueueAccountLockedOutAsync(string recipient, DateTimeOffset? lockoutEnd, Uri? unlockLink, CultureInfo? culture = null, OutboxMailOptions? options = null, CancellationToken cancellationToken = default) =>
        QueueAsync(MailRequest.AccountLockedOut(recipient, lockoutEnd, unlockLink, culture), options, cancellationToken);

    public Task<Guid> QueueVerificationCodeAsync(string recipient, string code, TimeSpan codeLifetime, CultureInfo? culture = null, OutboxMailOptions? options = null, CancellationToken cancellationToken = default) =>
        QueueAsync(MailRequest.VerificationCode(recipient, code, codeLifetime, culture), options, cancellationToken);

    public Task<Guid> QueuePasswordResetCodeAsync(string recipient, string code, TimeSpan codeLifetime, CultureInfo? culture = null, OutboxMailOptions? options = null, CancellationToken cancellationToken = default) =>
        QueueAsync(MailRequest.PasswordResetCode(recipient, code, codeLifetime, culture), options, cancellationToken);

    public Task<Guid> QueueTestMailAsync(string recipient, CultureInfo? culture = null, OutboxMailOptions? options = null, CancellationToken cancellationToken = default) =>
        QueueAsync(MailRequest.Test(recipient, culture), options, cancellationToken);

    public Task<Guid> QueueAsync(MimeMessage message, OutboxMailOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return AddAsync(_composer.Compose(message, options), cancellationToken);
    }

    /// <summary>Adds a composed row: saved at once, or to a host's context for its own save.</summary>
    /// <returns>The row's id, or the id of the row queued before with the same idempotency key.</returns>
    protected abstract Task<Guid> AddAsync(SystemMailOutboxMessage row, CancellationToken cancellationToken);

    private async Task<Guid> QueueAsync(MailRequest request, OutboxMailOptions? options, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // As for a mail sent at once: the mailer's checks (the link's site, the recipient's limit) hold now, and the
        // templates saved on any instance are read before the mail is rendered.
        await _composer.PrepareAsync(request, cancellationToken).ConfigureAwait(false);
        return await AddAsync(_composer.Compose(request, options), cancellationToken).ConfigureAwait(false);
    }
}
