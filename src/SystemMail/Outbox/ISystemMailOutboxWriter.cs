using System.Globalization;
using MimeKit;

namespace SystemMail;

/// <summary>
/// Queues system mails for later delivery: each method takes the arguments of its <see cref="ISystemMailer"/>
/// counterpart, renders the mail at once and returns the id of the queued mail without waiting for the mail server.
/// </summary>
/// <remarks>
/// <para>A mail that cannot be rendered (an invalid address, a relative link) is refused at once with an
/// <see cref="ArgumentException"/>, as by <see cref="ISystemMailer"/>; everything after that (the server down, a
/// provider's sending limit, a rejected recipient) happens in the outbox and shows in the mail's
/// <see cref="OutboxMail"/>.</para>
/// <para>The mail's not-after time defaults to the lifetime of its link or code (a reset link valid for 30 minutes is
/// not sent after 30 minutes), else to the outbox's default lifetime. With an
/// <see cref="OutboxMailOptions.IdempotencyKey"/>, a second call with the same key queues nothing and returns the
/// first mail's id.</para>
/// </remarks>
public interface ISystemMailOutboxWriter
{
    /// <summary>Queues the mail that asks a new user to activate the account.</summary>
    /// <param name="recipient">The recipient's address, optionally with a display name.</param>
    /// <param name="activationLink">The absolute http(s) link that activates the account.</param>
    /// <param name="linkLifetime">How long the link stays valid, shown in the mail; the default not-after time.</param>
    /// <param name="culture">The language of the mail; <see cref="CultureInfo.CurrentUICulture"/> when <see langword="null"/>.</param>
    /// <param name="options">The not-after time and idempotency key, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The id of the queued mail.</returns>
    /// <exception cref="ArgumentException">An argument is invalid.</exception>
    Task<Guid> QueueActivationAsync(string recipient, Uri activationLink, TimeSpan linkLifetime, CultureInfo? culture = null, OutboxMailOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Queues the mail that confirms the account was activated.</summary>
    /// <param name="recipient">The recipient's address, optionally with a display name.</param>
    /// <param name="loginLink">The absolute http(s) link to the sign-in page.</param>
    /// <param name="culture">The language of the mail; <see cref="CultureInfo.CurrentUICulture"/> when <see langword="null"/>.</param>
    /// <param name="options">The not-after time and idempotency key, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The id of the queued mail.</returns>
    /// <exception cref="ArgumentException">An argument is invalid.</exception>
    Task<Guid> QueueAccountActivatedAsync(string recipient, Uri loginLink, CultureInfo? culture = null, OutboxMailOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Queues the mail with the link that lets a user choose a new password.</summary>
    /// <param name="recipient">The recipient's address, optionally with a display name.</param>
    /// <param name="resetLink">The absolute http(s) link to the reset page.</param>
    /// <param name="linkLifetime">How long the link stays valid, shown in the mail; the default not-after time.</param>
    /// <param name="culture">The language of the mail; <see cref="CultureInfo.CurrentUICulture"/> when <see langword="null"/>.</param>
    /// <param name="options">The not-after time and idempotency key, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The id of the queued mail.</returns>
    /// <exception cref="ArgumentException">An argument is invalid.</exception>
    Task<Guid> QueuePasswordResetAsync(string recipient, Uri resetLink, TimeSpan linkLifetime, CultureInfo? culture = null, OutboxMailOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Queues the mail that tells a user the password was reset.</summary>
    /// <param name="recipient">The recipient's address, optionally with a display name.</param>
    /// <param name="loginLink">The absolute http(s) link to the sign-in page.</param>
    /// <param name="culture">The language of the mail; <see cref="CultureInfo.CurrentUICulture"/> when <see langword="null"/>.</param>
    /// <param name="options">The not-after time and idempotency key, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The id of the queued mail.</returns>
    /// <exception cref="ArgumentException">An argument is invalid.</exception>
    Task<Guid> QueuePasswordWasResetAsync(string recipient, Uri loginLink, CultureInfo? culture = null, OutboxMailOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Queues the mail that tells a user the account was locked out after failed sign-ins.</summary>
    /// <param name="recipient">The recipient's address, optionally with a display name.</param>
    /// <param name="lockoutEnd">When the lockout ends, or <see langword="null"/> when it lasts until unlocked.</param>
    /// <param name="unlockLink">An absolute http(s) link that unlocks the account, or <see langword="null"/>.</param>
    /// <param name="culture">The language of the mail; <see cref="CultureInfo.CurrentUICulture"/> when <see langword="null"/>.</param>
    /// <param name="options">The not-after time and idempotency key, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The id of the queued mail.</returns>
    /// <exception cref="ArgumentException">An argument is invalid, or both <paramref name="lockoutEnd"/> and <paramref name="unlockLink"/> are <see langword="null"/>.</exception>
    Task<Guid> QueueAccountLockedOutAsync(string recipient, DateTimeOffset? lockoutEnd, Uri? unlockLink, CultureInfo? culture = null, OutboxMailOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Queues a one-time verification code for email two-factor sign-in.</summary>
    /// <param name="recipient">The recipient's address, optionally with a display name.</param>
    /// <param name="code">The code, at most 64 characters, no line breaks.</param>
    /// <param name="codeLifetime">How long the code stays valid, shown in the mail; the default not-after time.</param>
    /// <param name="culture">The language of the mail; <see cref="CultureInfo.CurrentUICulture"/> when <see langword="null"/>.</param>
    /// <param name="options">The not-after time and idempotency key, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The id of the queued mail.</returns>
    /// <exception cref="ArgumentException">An argument is invalid.</exception>
    Task<Guid> QueueVerificationCodeAsync(string recipient, string code, TimeSpan codeLifetime, CultureInfo? culture = null, OutboxMailOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Queues a code that resets the password where the user asked for it.</summary>
    /// <param name="recipient">The recipient's address, optionally with a display name.</param>
    /// <param name="code">The reset code, at most 1024 characters, no line breaks.</param>
    /// <param name="codeLifetime">How long the code stays valid, shown in the mail; the default not-after time.</param>
    /// <param name="culture">The language of the mail; <see cref="CultureInfo.CurrentUICulture"/> when <see langword="null"/>.</param>
    /// <param name="options">The not-after time and idempotency key, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The id of the queued mail.</returns>
    /// <exception cref="ArgumentException">An argument is invalid.</exception>
    Task<Guid> QueuePasswordResetCodeAsync(string recipient, string code, TimeSpan codeLifetime, CultureInfo? culture = null, OutboxMailOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Queues the administrator's test mail.</summary>
    /// <param name="recipient">The recipient's address, optionally with a display name.</param>
    /// <param name="culture">The language of the mail; <see cref="CultureInfo.CurrentUICulture"/> when <see langword="null"/>.</param>
    /// <param name="options">The not-after time and idempotency key, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The id of the queued mail.</returns>
    /// <exception cref="ArgumentException"><paramref name="recipient"/> is invalid.</exception>
    Task<Guid> QueueTestMailAsync(string recipient, CultureInfo? culture = null, OutboxMailOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Queues any other system mail of the host's.</summary>
    /// <param name="message">The message, serialized at once (later changes to it are not sent). An empty From is set to the configured sender when the mail is sent; a missing Message-Id and Date are added now.</param>
    /// <param name="options">The not-after time and idempotency key, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The id of the queued mail.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="message"/> has no recipient.</exception>
    Task<Guid> QueueAsync(MimeMessage message, OutboxMailOptions? options = null, CancellationToken cancellationToken = default);
}
