using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;
using MimeKit.Utils;

namespace SystemMail;

/// <summary>
/// Renders and sends the system mails. Each mail takes the current settings generation once: it is rendered with that
/// generation's settings (sender, product values) and sent through that generation's pipeline and pool partition.
/// </summary>
internal sealed class SystemMailer : ISystemMailer
{
    private readonly SmtpSettingsSource _generations;
    private readonly SmtpConnectionPool _pool;
    private readonly MailTemplateRenderer _renderer;
    private readonly TimeProvider _time;
    private readonly SystemMailTelemetry _telemetry;
    private readonly SendHealth _health;
    private readonly RecipientLimiter _limiter;
    private readonly ILogger _logger;

    public SystemMailer(
        SmtpSettingsSource generations,
        SmtpConnectionPool pool,
        MailTemplateRenderer renderer,
        TimeProvider time,
        SystemMailTelemetry telemetry,
        SendHealth health,
        RecipientLimiter limiter,
        ILogger<SystemMailer>? logger = null)
    {
        _generations = generations;
        _pool = pool;
        _renderer = renderer;
        _time = time;
        _telemetry = telemetry;
        _health = health;
        _limiter = limiter;
        _logger = logger ?? NullLogger<SystemMailer>.Instance;
    }

    public Task<SentMail> SendActivationAsync(string recipient, Uri activationLink, TimeSpan linkLifetime, CultureInfo? culture = null, CancellationToken cancellationToken = default)
    {
        var mailbox = MailArguments.Recipient(recipient, nameof(recipient));
        MailArguments.Link(activationLink, nameof(activationLink));
        MailArguments.Lifetime(linkLifetime, nameof(linkLifetime));
        return SendTemplatedAsync(SystemMailKind.Activation, mailbox, activationLink, culture, (values, c) =>
        {
            values["link"] = activationLink.AbsoluteUri;
            AddLifetime(values, linkLifetime, c);
        }, cancellationToken);
    }

    public Task<SentMail> SendAccountActivatedAsync(string recipient, Uri loginLink, CultureInfo? culture = null, CancellationToken cancellationToken = default)
    {
        var mailbox = MailArguments.Recipient(recipient, nameof(recipient));
        MailArguments.Link(loginLink, nameof(loginLink));
        return SendTemplatedAsync(SystemMailKind.AccountActivated, mailbox, loginLink, culture, (values, _) => values["link"] = loginLink.AbsoluteUri, cancellationToken);
    }

    public Task<SentMail> SendPasswordResetAsync(string recipient, Uri resetLink, TimeSpan linkLifetime, CultureInfo? culture = null, CancellationToken cancellationToken = default)
    {
        var mailbox = MailArguments.Recipient(recipient, nameof(recipient));
        MailArguments.Link(resetLink, nameof(resetLink));
        MailArguments.Lifetime(linkLifetime, nameof(linkLifetime));
        return SendTemplatedAsync(SystemMailKind.PasswordReset, mailbox, resetLink, culture, (values, c) =>
        {
            values["link"] = resetLink.AbsoluteUri;
            AddLifetime(values, linkLifetime, c);
        }, cancellationToken);
    }

    public Task<SentMail> SendPasswordWasResetAsync(string recipient, Uri loginLink, CultureInfo? culture = null, CancellationToken cancellationToken = default)
    {
        var mailbox = MailArguments.Recipient(recipient, nameof(recipient));
        MailArguments.Link(loginLink, nameof(loginLink));
        return SendTemplatedAsync(SystemMailKind.PasswordWasReset, mailbox, loginLink, culture, (values, _) => values["link"] = loginLink.AbsoluteUri, cancellationToken);
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

        return SendTemplatedAsync(SystemMailKind.AccountLockedOut, mailbox, unlockLink, culture, (values, c) =>
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
        return SendTemplatedAsync(SystemMailKind.VerificationCode, mailbox, link: null, culture, (values, c) =>
        {
            values["code"] = checkedCode;
            AddLifetime(values, codeLifetime, c);
        }, cancellationToken);
    }

    public Task<SentMail> SendPasswordResetCodeAsync(string recipient, string code, TimeSpan codeLifetime, CultureInfo? culture = null, CancellationToken cancellationToken = default)
    {
        var mailbox = MailArguments.Recipient(recipient, nameof(recipient));
        // ASP.NET Core Identity's reset codes are Base64Url-encoded Data Protection tokens: a few hundred characters.
        var checkedCode = MailArguments.Code(code, nameof(code), maxLength: 1024);
        MailArguments.Lifetime(codeLifetime, nameof(codeLifetime));
        return SendTemplatedAsync(SystemMailKind.PasswordResetCode, mailbox, link: null, culture, (values, c) =>
        {
            values["code"] = checkedCode;
            AddLifetime(values, codeLifetime, c);
        }, cancellationToken);
    }

    public Task<SentMail> SendTestMailAsync(string recipient, CultureInfo? culture = null, CancellationToken cancellationToken = default)
    {
        var mailbox = MailArguments.Recipient(recipient, nameof(recipient));
        return SendTemplatedAsync(SystemMailKind.Test, mailbox, link: null, culture, addValues: null, cancellationToken);
    }

    public Task<SentMail> SendAsync(MimeMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.To.Count + message.Cc.Count + message.Bcc.Count == 0)
        {
            throw new ArgumentException("The message has no recipient (To, Cc or Bcc).", nameof(message));
        }

        foreach (var recipient in message.To.Mailboxes.Concat(message.Cc.Mailboxes).Concat(message.Bcc.Mailboxes))
        {
            MailArguments.RecipientAddress(recipient);
        }

        // What the caller left out is filled from the generation the mail is sent under (again, if it starts over).
        var addFrom = message.From.Count == 0;
        // MimeKit gives every new MimeMessage a Message-Id in the machine's own domain: one the caller did not set is
        // made again in the sender's domain, as for the system mails.
        var addMessageId = string.IsNullOrEmpty(message.MessageId) || message.MessageId.EndsWith(MachineMessageIdDomain, StringComparison.OrdinalIgnoreCase);
        var addDate = message.Date == default;
        return SendCoreAsync("custom", settings =>
        {
            if (addFrom)
            {
                message.From.Clear();
                message.From.Add(settings.From.Clone());
            }

            if (addMessageId)
            {
                message.MessageId = MimeUtils.GenerateMessageId(settings.From.Domain);
            }

            if (addDate)
            {
                message.Date = _time.GetUtcNow();
            }

            return message;
        }, ownsMessage: false, cancellationToken);
    }

    /// <summary>The domain of the Message-Id MimeKit makes by itself: <c>@</c> and the machine's host name.</summary>
    private static readonly string MachineMessageIdDomain = DomainOf(MimeUtils.GenerateMessageId());

    private static string DomainOf(string messageId) => messageId[messageId.IndexOf('@', StringComparison.Ordinal)..];

    private static void AddLifetime(Dictionary<string, string> values, TimeSpan lifetime, CultureInfo culture)
    {
        values["lifetime"] = DurationText.Format(lifetime, culture);
        values["lifetime_minutes"] = ((long)Math.Ceiling(lifetime.TotalMinutes)).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Checks what the mail may not do before anything is rendered or sent: its link must point at the product
    /// (<see cref="LinkOrigins"/>), and a mail anyone can request counts against its recipient's limit
    /// (<see cref="RecipientLimiter"/>); a link refused does not count.
    /// </summary>
    private async Task<SentMail> SendTemplatedAsync(
        SystemMailKind kind,
        MailboxAddress recipient,
        Uri? link,
        CultureInfo? culture,
        Action<Dictionary<string, string>, CultureInfo>? addValues,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        culture ??= CultureInfo.CurrentUICulture;
        var options = _generations.CurrentGeneration.Settings.Options;
        try
        {
            LinkOrigins.Check(link, options.Product);
        }
        catch (SystemMailException ex) when (ex.Kind == SystemMailErrorKind.LinkNotAllowed)
        {
            _telemetry.MailsFailed.Add(1, new TagList { { "systemmail.mail.kind", kind.ToString() }, { "error.type", ex.Kind.ToString() } });
            Log.LinkNotAllowed(_logger, kind.ToString(), LinkOrigins.Of(link!), LinkOrigins.Of(options.Product.Url!));
            throw;
        }

        await _limiter.AcquireAsync(kind, recipient.Address, options.RecipientLimit, cancellationToken).ConfigureAwait(false);

        // The mailer made this message, so it disposes it: MimeMessage has a finalizer, and a message left to it
        // outlives the next collection.
        return await SendCoreAsync(kind.ToString(), settings => SystemMailComposer.Compose(_renderer, kind, recipient, culture, settings, _time.GetUtcNow(), addValues), ownsMessage: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Composes the mail with the current generation's settings and sends it through that generation. When the
    /// generation retires before the mail started out (it read the generation just before the settings changed, or
    /// waited for a sending permit meanwhile), the mail is composed again under the current one.
    /// </summary>
    private async Task<SentMail> SendCoreAsync(string kind, Func<SmtpSettings, MimeMessage> compose, bool ownsMessage, CancellationToken cancellationToken)
    {
        using var activity = SystemMailTelemetry.ActivitySource.StartActivity($"send {kind}", ActivityKind.Client);
        activity?.SetTag("systemmail.mail.kind", kind);
        var started = _time.GetTimestamp();
        while (true)
        {
            var generation = _generations.CurrentGeneration;
            var settings = generation.Settings;
            var message = compose(settings);
            try
            {
                activity?.SetTag("server.address", settings.Host);
                activity?.SetTag("server.port", settings.Port);
                var send = new Send(_pool, generation, message);
                string reply;
                try
                {
                    reply = await generation.Pipeline.ExecuteAsync(
                        static (send, token) => new ValueTask<string>(send.RunAsync(token)),
                        send,
                        cancellationToken).ConfigureAwait(false);
                }
                catch (ObjectDisposedException) when (!send.Started && generation.IsRetired)
                {
                    continue;
                }

                Succeeded(kind, message, settings, started);
                return new SentMail(message.MessageId ?? string.Empty, reply, _time.GetUtcNow());
            }
            catch (SystemMailException ex)
            {
                Failed(ex, kind, message, settings, started, activity);
                throw;
            }
            finally
            {
                if (ownsMessage)
                {
                    message.Dispose();
                }
            }
        }
    }

    private void Succeeded(string kind, MimeMessage message, SmtpSettings settings, long started)
    {
        var tags = new TagList { { "systemmail.mail.kind", kind }, { "server.address", settings.Host } };
        _telemetry.SendDuration.Record(_time.GetElapsedTime(started).TotalSeconds, tags);
        _telemetry.MailsSent.Add(1, tags);
        _health.Succeeded(_time.GetUtcNow());
        Log.MailSent(_logger, kind, message.MessageId ?? string.Empty, settings.Endpoint);
    }

    private void Failed(SystemMailException ex, string kind, MimeMessage message, SmtpSettings settings, long started, Activity? activity)
    {
        var tags = new TagList { { "systemmail.mail.kind", kind }, { "server.address", settings.Host }, { "error.type", ex.Kind.ToString() } };
        _telemetry.SendDuration.Record(_time.GetElapsedTime(started).TotalSeconds, tags);
        _telemetry.MailsFailed.Add(1, tags);
        _health.Failed(_time.GetUtcNow(), ex);
        activity?.SetTag("error.type", ex.Kind.ToString());
        activity?.SetStatus(ActivityStatusCode.Error, ex.Kind.ToString());
        Log.MailFailed(_logger, ex, kind, message.MessageId ?? string.Empty, settings.Endpoint, ex.Kind, Log.Status(ex.StatusCode), ex.GetHint(CultureInfo.InvariantCulture));
    }

    /// <summary>One mail on its way through one generation's pipeline; every attempt runs <see cref="RunAsync"/>.</summary>
    private sealed class Send(SmtpConnectionPool pool, MailGeneration generation, MimeMessage message)
    {
        /// <summary>Gets whether the first attempt went to the pool: from then on the mail stays with its generation.</summary>
        public bool Started { get; private set; }

        public Task<string> RunAsync(CancellationToken cancellationToken)
        {
            if (!Started)
            {
                // Retired while this mail waited for a sending permit: it starts over under the current settings.
                ObjectDisposedException.ThrowIf(generation.IsRetired, generation);
                Started = true;
            }

            return pool.SendAsync(generation, message, cancellationToken);
        }
    }
}
