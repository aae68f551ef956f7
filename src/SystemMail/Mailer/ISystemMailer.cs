using System.Globalization;
using MimeKit;

namespace SystemMail;

/// <summary>
/// Sends the system mails of a host application through the configured system mail server: activation,
/// account activated, password reset, password was reset, account locked out, verification code and the
/// administrator's test mail, plus any other message of the host's.
/// </summary>
/// <remarks>
/// <para>Each mail is rendered from its Liquid template in the requested culture (ten languages are built in: English,
/// Simplified and Traditional Chinese, Japanese, Korean, German, French, Spanish, Brazilian Portuguese and Russian,
/// with culture fallback; other cultures get English), as multipart/alternative with an HTML and a plain-text part.</para>
/// <para>Mails go out on pooled, authenticated connections. A failure raises a <see cref="SystemMailException"/>
/// whose <see cref="SystemMailException.Kind"/>, status codes and <see cref="SystemMailException.GetHint"/> say what
/// went wrong and what to do.</para>
/// <para>Before anything is rendered or sent, a mail is refused with <see cref="SystemMailErrorKind.InvalidRecipient"/>
/// when its recipient is not a bare address of at most 254 octets (64 before the <c>@</c>) or holds a character that
/// changes the text direction (and, at the server, a non-ASCII local part without <c>SMTPUTF8</c>); with
/// <see cref="SystemMailErrorKind.LinkNotAllowed"/> when its link points elsewhere than
/// <see cref="SystemMailProductOptions.Url"/>'s origin; and with <see cref="SystemMailErrorKind.RecipientLimited"/> when
/// the recipient reached <see cref="SystemMailOptions.RecipientLimit"/> for the mails anyone can request (activation,
/// password reset, password reset code, verification code).</para>
/// </remarks>
public interface ISystemMailer
{
    /// <summary>Sends the mail that asks a new user to activate the account.</summary>
    /// <param name="recipient">The recipient's bare address, such as <c>name@example.com</c>.</param>
    /// <param name="activationLink">The absolute http(s) link that activates the account.</param>
    /// <param name="linkLifetime">How long the link stays valid, shown in the mail.</param>
    /// <param name="culture">The language of the mail; <see cref="CultureInfo.CurrentUICulture"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">A token that cancels the send.</param>
    /// <returns>The accepted mail.</returns>
    /// <exception cref="ArgumentException">An argument is invalid (address, CR/LF, relative link, lifetime not positive).</exception>
    /// <exception cref="SystemMailException">The mail could not be sent, or was refused before sending (see the remarks).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<SentMail> SendActivationAsync(string recipient, Uri activationLink, TimeSpan linkLifetime, CultureInfo? culture = null, CancellationToken cancellationToken = default);

    /// <summary>Sends the mail that confirms the account was activated.</summary>
    /// <param name="recipient">The recipient's bare address, such as <c>name@example.com</c>.</param>
    /// <param name="loginLink">The absolute http(s) link to the sign-in page.</param>
    /// <param name="culture">The language of the mail; <see cref="CultureInfo.CurrentUICulture"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">A token that cancels the send.</param>
    /// <returns>The accepted mail.</returns>
    /// <exception cref="ArgumentException">An argument is invalid.</exception>
    /// <exception cref="SystemMailException">The mail could not be sent, or was refused before sending (see the remarks).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<SentMail> SendAccountActivatedAsync(string recipient, Uri loginLink, CultureInfo? culture = null, CancellationToken cancellationToken = default);

    /// <summary>Sends the mail with the link that lets a user choose a new password.</summary>
    /// <param name="recipient">The recipient's bare address, such as <c>name@example.com</c>.</param>
    /// <param name="resetLink">The absolute http(s) link to the reset page.</param>
    /// <param name="linkLifetime">How long the link stays valid, shown in the mail.</param>
    /// <param name="culture">The language of the mail; <see cref="CultureInfo.CurrentUICulture"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">A token that cancels the send.</param>
    /// <returns>The accepted mail.</returns>
    /// <exception cref="ArgumentException">An argument is invalid.</exception>
    /// <exception cref="SystemMailException">The mail could not be sent, or was refused before sending (see the remarks).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<SentMail> SendPasswordResetAsync(string recipient, Uri resetLink, TimeSpan linkLifetime, CultureInfo? culture = null, CancellationToken cancellationToken = default);

    /// <summary>Sends the mail that tells a user the password was reset.</summary>
    /// <param name="recipient">The recipient's bare address, such as <c>name@example.com</c>.</param>
    /// <param name="loginLink">The absolute http(s) link to the sign-in page.</param>
    /// <param name="culture">The language of the mail; <see cref="CultureInfo.CurrentUICulture"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">A token that cancels the send.</param>
    /// <returns>The accepted mail.</returns>
    /// <exception cref="ArgumentException">An argument is invalid.</exception>
    /// <exception cref="SystemMailException">The mail could not be sent, or was refused before sending (see the remarks).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<SentMail> SendPasswordWasResetAsync(string recipient, Uri loginLink, CultureInfo? culture = null, CancellationToken cancellationToken = default);

    /// <summary>Sends the mail that tells a user the account was locked out after failed sign-ins.</summary>
    /// <param name="recipient">The recipient's bare address, such as <c>name@example.com</c>.</param>
    /// <param name="lockoutEnd">When the lockout ends, or <see langword="null"/> when it lasts until unlocked.</param>
    /// <param name="unlockLink">An absolute http(s) link that unlocks the account, or <see langword="null"/>.</param>
    /// <param name="culture">The language of the mail; <see cref="CultureInfo.CurrentUICulture"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">A token that cancels the send.</param>
    /// <returns>The accepted mail.</returns>
    /// <exception cref="ArgumentException">An argument is invalid, or both <paramref name="lockoutEnd"/> and <paramref name="unlockLink"/> are <see langword="null"/>.</exception>
    /// <exception cref="SystemMailException">The mail could not be sent, or was refused before sending (see the remarks).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<SentMail> SendAccountLockedOutAsync(string recipient, DateTimeOffset? lockoutEnd, Uri? unlockLink, CultureInfo? culture = null, CancellationToken cancellationToken = default);

    /// <summary>Sends a one-time verification code for email two-factor sign-in.</summary>
    /// <param name="recipient">The recipient's bare address, such as <c>name@example.com</c>.</param>
    /// <param name="code">The code, at most 64 characters, no line breaks.</param>
    /// <param name="codeLifetime">How long the code stays valid, shown in the mail.</param>
    /// <param name="culture">The language of the mail; <see cref="CultureInfo.CurrentUICulture"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">A token that cancels the send.</param>
    /// <returns>The accepted mail.</returns>
    /// <exception cref="ArgumentException">An argument is invalid.</exception>
    /// <exception cref="SystemMailException">The mail could not be sent, or was refused before sending (see the remarks).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<SentMail> SendVerificationCodeAsync(string recipient, string code, TimeSpan codeLifetime, CultureInfo? culture = null, CancellationToken cancellationToken = default);

    /// <summary>Sends a code that resets the password where the user asked for it (ASP.NET Core Identity's <c>/forgotPassword</c>).</summary>
    /// <param name="recipient">The recipient's bare address, such as <c>name@example.com</c>.</param>
    /// <param name="code">The reset code, at most 1024 characters, no line breaks.</param>
    /// <param name="codeLifetime">How long the code stays valid, shown in the mail.</param>
    /// <param name="culture">The language of the mail; <see cref="CultureInfo.CurrentUICulture"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">A token that cancels the send.</param>
    /// <returns>The accepted mail.</returns>
    /// <exception cref="ArgumentException">An argument is invalid.</exception>
    /// <exception cref="SystemMailException">The mail could not be sent, or was refused before sending (see the remarks).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<SentMail> SendPasswordResetCodeAsync(string recipient, string code, TimeSpan codeLifetime, CultureInfo? culture = null, CancellationToken cancellationToken = default);

    /// <summary>Sends the administrator's test mail through the current settings ("Send test email").</summary>
    /// <param name="recipient">The recipient's bare address, such as <c>name@example.com</c>.</param>
    /// <param name="culture">The language of the mail; <see cref="CultureInfo.CurrentUICulture"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">A token that cancels the send.</param>
    /// <returns>The accepted mail.</returns>
    /// <exception cref="ArgumentException"><paramref name="recipient"/> is invalid.</exception>
    /// <exception cref="SystemMailException">The mail could not be sent; its hint tells the administrator what to fix.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<SentMail> SendTestMailAsync(string recipient, CultureInfo? culture = null, CancellationToken cancellationToken = default);

    /// <summary>Sends any other system mail of the host's through the same server and connections.</summary>
    /// <param name="message">The message. An empty From is set to the configured sender; a missing Message-Id and Date are added.</param>
    /// <param name="cancellationToken">A token that cancels the send.</param>
    /// <returns>The accepted mail.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="message"/> has no recipient.</exception>
    /// <exception cref="SystemMailException">The mail could not be sent, or was refused before sending (see the remarks).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<SentMail> SendAsync(MimeMessage message, CancellationToken cancellationToken = default);
}
