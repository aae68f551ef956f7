using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;
using MimeKit.Utils;

namespace SystemMail;

internal sealed class SystemMailer : ISystemMailer
{
    private readonly SmtpConnectionPool _pool;
    private readonly MailTemplateRenderer _renderer;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public SystemMailer(SmtpConnectionPool pool, MailTemplateRenderer renderer, TimeProvider time, ILogger<SystemMailer>? logger = null)
    {
        _pool = pool;
        _renderer = renderer;
        _time = time;
        _logger = logger ?? NullLogger<SystemMailer>.Instance;
    }

    public Task<SentMail> SendActivationAsync(string recipient, Uri activationLink, TimeSpan linkLifetime, CultureInfo? culture = null, CancellationToken cancellationToken = default)
    {
        var mailbox = MailArguments.Recipient(recipient, nameof(recipient));
        MailArguments.Link(activationLink, nameof(activationLink));
        MailArguments.Lifetime(linkLifetime, nameof(linkLifetime));
        return SendTemplatedAsync(SystemMailKind.Activation, mailbox, culture, (values, c) =>
        {
            values["link"] = activationLink.AbsoluteUri;
            AddLifetime(values, linkLifetime, c);
        }, cancellationToken);
    }

    public Task<SentMail> SendAccountActivatedAsync(string recipient, Uri loginLink, CultureInfo? culture = null, CancellationToken cancellationToken = default)
    {
        var mailbox = MailArguments.Recipient(recipient, nameof(recipient));
        MailArguments.Link(loginLink, nameof(loginLink));
        return SendTemplatedAsync(SystemMailKind.AccountActivated, mailbox, culture, (values, _) => values["link"] = loginLink.AbsoluteUri, cancellationToken);
    }

    public Task<SentMail> SendPasswordResetAsync(string recipient, Uri resetLink, TimeSpan linkLifetime, CultureInfo? culture = null, CancellationToken cancellationToken = default)
    {
        var mailbox = MailArguments.Recipient(recipient, nameof(recipient));
        MailArguments.Link(resetLink, nameof(resetLink));
        MailArguments.Lifetime(linkLifetime, nameof(linkLifetime));
        return SendTemplatedAsync(SystemMailKind.PasswordReset, mailbox, culture, (values, c) =>
        {
            values["link"] = resetLink.AbsoluteUri;
            AddLifetime(values, linkLifetime, c);
        }, cancellationToken);
    }

    public Task<SentMail> SendPasswordWasResetAsync(string recipient, Uri loginLink, CultureInfo? culture = null, CancellationToken cancellationToken = default)
    {
        var mailbox = MailArguments.Recipient(recipient, nameof(recipient));
        MailArguments.Link(loginLink, nameof(loginLink));
        return SendTemplatedAsync(SystemMailKind.PasswordWasReset, mailbox, culture, (values, _) => values["link"] = loginLink.AbsoluteUri, cancellationToken);
    }

    public Task<SentMail> SendAccountLockedOutAsync(string recipient, DateTimeOffset? lockoutEnd, Uri? unlockLink, CultureInfo? culture = null, CancellationToken cancellationToken = default)
    {
        var mailbox = MailArguments.Recipient(recipient, nameof(recipient));
        if (lockoutEnd is null && unlockLink is null)
        {
            throw new ArgumentException("Give the lockout end, the unlock link or both.", nameof(lockoutEnd));
        }

        if (unlockLink is not null)
        {
            MailArguments.Link(unlockLink, nameof(unlockLink));
        }

        return SendTemplatedAsync(SystemMailKind.AccountLockedOut, mailbox, culture, (values, c) =>
        {
            values["lockout_end"] = lockoutEnd is { } end ? end.ToUniversalTime().ToString("f", c) + " UTC" : string.Empty;
            values["link"] = unlockLink?.AbsoluteUri ?? string.Empty;
        }, cancellationToken);
    }

    public Task<SentMail> SendVerificationCodeAsync(string recipient, string code, TimeSpan codeLifetime, CultureInfo? culture = null, CancellationToken cancellationToken = default)
    {
        var mailbox = MailArguments.Recipient(recipient, nameof(recipient));
        var checkedCode = MailArguments.Code(code, nameof(code));
        MailArguments.Lifetime(codeLifetime, nameof(codeLifetime));
        return SendTemplatedAsync(SystemMailKind.VerificationCode, mailbox, culture, (values, c) =>
        {
            values["code"] = checkedCode;
            AddLifetime(values, codeLifetime, c);
        }, cancellationToken);
    }

    public Task<SentMail> SendTestMailAsync(string recipient, CultureInfo? culture = null, CancellationToken cancellationToken = default)
    {
        var mailbox = MailArguments.Recipient(recipient, nameof(recipient));
        return SendTemplatedAsync(SystemMailKind.Test, mailbox, culture, (values, _) =>
        {
            var settings = _pool.CurrentSettings;
            values["endpoint"] = settings.Endpoint;
            values["provider"] = settings.Template.DisplayName;
        }, cancellationToken);
    }

    public Task<SentMail> SendAsync(MimeMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.To.Count + message.Cc.Count + message.Bcc.Count == 0)
        {
            throw new ArgumentException("The message has no recipient (To, Cc or Bcc).", nameof(message));
        }

        var settings = _pool.CurrentSettings;
        if (message.From.Count == 0)
        {
            message.From.Add(settings.From.Clone());
        }

        if (string.IsNullOrEmpty(message.MessageId))
        {
            message.MessageId = MimeUtils.GenerateMessageId(settings.From.Domain);
        }

        if (message.Date == default)
        {
            message.Date = _time.GetUtcNow();
        }

        return SendCoreAsync("custom", message, settings.Endpoint, cancellationToken);
    }

    private static void AddLifetime(Dictionary<string, string> values, TimeSpan lifetime, CultureInfo culture)
    {
        values["lifetime"] = DurationText.Format(lifetime, culture);
        values["lifetime_minutes"] = ((long)Math.Ceiling(lifetime.TotalMinutes)).ToString(CultureInfo.InvariantCulture);
    }

    private async Task<SentMail> SendTemplatedAsync(
        SystemMailKind kind,
        MailboxAddress recipient,
        CultureInfo? culture,
        Action<Dictionary<string, string>, CultureInfo> addValues,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var settings = _pool.CurrentSettings;
        var product = settings.Options.Product;
        culture ??= CultureInfo.CurrentUICulture;

        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["product_name"] = product.Name,
            ["product_url"] = product.Url?.AbsoluteUri ?? string.Empty,
            ["support_address"] = product.SupportAddress ?? string.Empty,
            ["recipient"] = recipient.Address,
        };
        addValues(values, culture);
        var rendered = _renderer.Render(kind, culture, values);

        // The mailer made this message, so it disposes it: MimeMessage has a finalizer, and a message left to it
        // outlives the next collection.
        using var message = SystemMailMessage.Create(rendered, settings.From, recipient, _time.GetUtcNow());
        return await SendCoreAsync(kind.ToString(), message, settings.Endpoint, cancellationToken).ConfigureAwait(false);
    }

    private async Task<SentMail> SendCoreAsync(string kind, MimeMessage message, string endpoint, CancellationToken cancellationToken)
    {
        try
        {
            var reply = await _pool.SendAsync(message, cancellationToken).ConfigureAwait(false);
            Log.MailSent(_logger, kind, (message.MessageId ?? string.Empty), endpoint);
            return new SentMail(message.MessageId ?? string.Empty, reply, _time.GetUtcNow());
        }
        catch (SystemMailException ex)
        {
            Log.MailFailed(_logger, ex, kind, message.MessageId ?? string.Empty, endpoint, ex.Kind, ex.StatusCode, ex.Hint);
            throw;
        }
    }
}
