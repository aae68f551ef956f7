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
internal sealed partial class SystemMailer : ISystemMailer
{
    private readonly SmtpSettingsSource _generations;
    private readonly MailTransports _transports;
    private readonly MailTemplateRenderer _renderer;
    private readonly TimeProvider _time;
    private readonly SystemMailTelemetry _telemetry;
    private readonly SendHealth _health;
    private readonly RecipientLimiter _limiter;
    private readonly ISavedTemplateSource _savedTemplates;
    private readonly ILogger _logger;

    public SystemMailer(
        SmtpSettingsSource generations,
        MailTransports transports,
        MailTemplateRenderer renderer,
        TimeProvider time,
        SystemMailTelemetry telemetry,
        SendHealth health,
        RecipientLimiter limiter,
        ILogger<SystemMailer>? logger = null,
        ISavedTemplateSource? savedTemplates = null)
    {
        _savedTemplates = savedTemplates ?? NoSavedTemplates.Instance;
        _generations = generations;
        _transports = transports;
        _renderer = renderer;
        _time = time;
        _telemetry = telemetry;
        _health = health;
        _limiter = limiter;
        _logger = logger ?? NullLogger<SystemMailer>.Instance;
    }

    public Task<SentMail> SendActivationAsync(string recipient, Uri activationLink, TimeSpan linkLifetime, CultureInfo? culture = null, CancellationToken cancellationToken = default) =>
        SendTemplatedAsync(MailRequest.Activation(recipient, activationLink, linkLifetime, culture), cancellationToken);

    public Task<SentMail> SendAccountActivatedAsync(string recipient, Uri loginLink, CultureInfo? culture = null, CancellationToken cancellationToken = default) =>
        SendTemplatedAsync(MailRequest.AccountActivated(recipient, loginLink, culture), cancellationToken);

    public Task<SentMail> SendPasswordResetAsync(string recipient, Uri resetLink, TimeSpan linkLifetime, CultureInfo? culture = null, CancellationToken cancellationToken = default) =>
        SendTemplatedAsync(MailRequest.PasswordReset(recipient, resetLink, linkLifetime, culture), cancellationToken);

    public Task<SentMail> SendPasswordWasResetAsync(string recipient, Uri loginLink, CultureInfo? culture = null, CancellationToken cancellationToken = default) =>
        SendTemplatedAsync(MailRequest.PasswordWasReset(recipient, loginLink, culture), cancellationToken);

    public Task<SentMail> SendAccountLockedOutAsync(string recipient, DateTimeOffset? lockoutEnd, Uri? unlockLink, CultureInfo? culture = null, CancellationToken cancellationToken = default) =>
        SendTemplatedAsync(MailRequest.AccountLockedOut(recipient, lockoutEnd, unlockLink, culture), cancellationToken);

    public Task<SentMail> SendVerificationCodeAsync(string recipient, string code, TimeSpan codeLifetime, CultureInfo? culture = null, CancellationToken cancellationToken = default) =>
        SendTemplatedAsync(MailRequest.VerificationCode(recipient, code, codeLifetime, culture), cancellationToken);

    public Task<SentMail> SendPasswordResetCodeAsync(string recipient, string code, TimeSpan codeLifetime, CultureInfo? culture = null, CancellationToken cancellationToken = default) =>
        SendTemplatedAsync(MailRequest.PasswordResetCode(recipient, code, codeLifetime, culture), cancellationToken);

    public Task<SentMail> SendTestMailAsync(string recipient, CultureInfo? culture = null, CancellationToken cancellationToken = default) =>
        SendTemplatedAsync(MailRequest.Test(recipient, culture), cancellationToken);

    public Task<SentMail> SendAsync(MimeMessage message, CancellationToken cancellationToken = default) =>
        SendMessageAsync(message, "custom", retry: true, cancellationToken);

    /// <summary>
    /// Composes a system mail under the current generation's settings without sending it, for the outbox, which
    /// keeps it and sends it later through <see cref="SendQueuedAsync"/>.
    /// </summary>
    internal MimeMessage Compose(MailRequest request) =>
        SystemMailComposer.Compose(_renderer, request.Kind, request.Recipient, request.Culture, _generations.CurrentGeneration.Settings, _time.GetUtcNow(), request.AddValues);

    /// <summary>
    /// Gives a host's message to be queued the Message-Id and Date it lacks, in the current sender's domain, so the
    /// outbox knows the id before the mail is sent. An empty From stays empty: it is filled when the mail is sent.
    /// </summary>
    internal void StampForQueue(MimeMessage message)
    {
        CheckRecipients(message);

        if (LacksMessageId(message))
        {
            var from = message.From.Mailboxes.FirstOrDefault() ?? _generations.CurrentGeneration.Settings.From;
            message.MessageId = MimeUtils.GenerateMessageId(from.Domain);
        }

        if (message.Date == default)
        {
            message.Date = _time.GetUtcNow();
        }
    }

    /// <summary>
    /// Sends a prepared message, queued earlier, under the current generation: the pool, the sending limit and the
    /// failure classification of every mail, but no retry in the process (the outbox keeps the retries, across restarts).
    /// </summary>
    internal Task<SentMail> SendQueuedAsync(MimeMessage message, string kind, CancellationToken cancellationToken = default) =>
        SendMessageAsync(message, kind, retry: false, cancellationToken);

    private Task<SentMail> SendMessageAsync(MimeMessage message, string kind, bool retry, CancellationToken cancellationToken)
    {
        CheckRecipients(message);

        // What the caller left out is filled from the generation the mail is sent under (again, if it starts over).
        var addFrom = message.From.Count == 0;
        var addMessageId = LacksMessageId(message);
        var addDate = message.Date == default;
        return SendCoreAsync(kind, settings =>
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
        }, ownsMessage: false, retry, cancellationToken);
    }

    /// <summary>The domain of the Message-Id MimeKit makes by itself: <c>@</c> and the machine's host name.</summary>
    private static readonly string MachineMessageIdDomain = DomainOf(MimeUtils.GenerateMessageId());

    private static string DomainOf(string messageId) => messageId[messageId.IndexOf('@', StringComparison.Ordinal)..];

    /// <summary>Checks a host's message before it is sent or queued: at least one recipient, each one an address the mailer sends to.</summary>
    private static void CheckRecipients(MimeMessage message)
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
    }

    /// <summary>
    /// Gets whether the caller set no Message-Id: MimeKit gives every new MimeMessage one in the machine's own domain,
    /// which is made again in the sender's domain, as for the system mails.
    /// </summary>
    private static bool LacksMessageId(MimeMessage message) =>
        string.IsNullOrEmpty(message.MessageId) || message.MessageId.EndsWith(MachineMessageIdDomain, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Readies a system mail before it is rendered, sent or queued: its link must point at the product
    /// (<see cref="LinkOrigins"/>), a mail anyone can request counts against its recipient's limit
    /// (<see cref="RecipientLimiter"/>; a link refused does not count), and the templates an administrator saved on any
    /// instance are read again (when the store says they changed), so they apply to the next mail, sent or queued.
    /// </summary>
    internal async Task PrepareAsync(MailRequest request, CancellationToken cancellationToken)
    {
        var options = _generations.CurrentGeneration.Settings.Options;
        try
        {
            LinkOrigins.Check(request.Link, options.Product);
        }
        catch (SystemMailException ex) when (ex.Kind == SystemMailErrorKind.LinkNotAllowed)
        {
            _telemetry.MailsFailed.Add(1, new TagList { { "systemmail.mail.kind", request.Kind.ToString() }, { "error.type", ex.Kind.ToString() } });
            Log.LinkNotAllowed(_logger, request.Kind.ToString(), LinkOrigins.Of(request.Link!), LinkOrigins.Of(options.Product.Url!));
            throw;
        }

        await _limiter.AcquireAsync(request.Kind, request.Recipient.Address, options.RecipientLimit, cancellationToken).ConfigureAwait(false);
        await _savedTemplates.RefreshAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<SentMail> SendTemplatedAsync(MailRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await PrepareAsync(request, cancellationToken).ConfigureAwait(false);

        // The mailer made this message, so it disposes it: MimeMessage has a finalizer, and a message left to it
        // outlives the next collection.
        return await SendCoreAsync(
            request.Kind.ToString(),
            settings => SystemMailComposer.Compose(_renderer, request.Kind, request.Recipient, request.Culture, settings, _time.GetUtcNow(), request.AddValues),
            ownsMessage: true,
            retry: true,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Composes the mail with the current generation's settings and sends it through that generation. When the
    /// generation retires before the mail started out (it read the generation just before the settings changed, or
    /// waited for a sending permit meanwhile), the mail is composed again under the current one.
    /// </summary>
    private async Task<SentMail> SendCoreAsync(string kind, Func<SmtpSettings, MimeMessage> compose, bool ownsMessage, bool retry, CancellationToken cancellationToken)
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
                var send = new Send(_transports.For(settings), generation, message, _time);
                string reply;
                try
                {
                    reply = await SendPolicy.ExecuteAsync(generation.Pipeline, send, retry, cancellationToken).ConfigureAwait(false);
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
}
