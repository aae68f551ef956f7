using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;
using MimeKit.Utils;

namespace SystemMail;

internal sealed class SystemMailer : ISystemMailer, IDisposable
{
    private readonly SmtpConnectionPool _pool;
    private readonly MailTemplateRenderer _renderer;
    private readonly TimeProvider _time;
    private readonly SystemMailTelemetry _telemetry;
    private readonly SendHealth _health;
    private readonly ILogger _logger;
    private readonly Lock _policyLock = new();
    private PolicyEntry? _policy;
    private bool _disposed;

    public SystemMailer(
        SmtpConnectionPool pool,
        MailTemplateRenderer renderer,
        TimeProvider time,
        SystemMailTelemetry telemetry,
        SendHealth health,
        ILogger<SystemMailer>? logger = null)
    {
        _pool = pool;
        _renderer = renderer;
        _time = time;
        _telemetry = telemetry;
        _health = health;
        _logger = logger ?? NullLogger<SystemMailer>.Instance;
    }

    /// <summary>Gets the retry and pacing policy of the current settings, if a mail was sent under them.</summary>
    internal SendPolicy? CurrentPolicy => Volatile.Read(ref _policy)?.Policy;

    public void Dispose()
    {
        lock (_policyLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _policy?.Policy.Dispose();
            _policy = null;
        }
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

    public Task<SentMail> SendPasswordResetCodeAsync(string recipient, string code, TimeSpan codeLifetime, CultureInfo? culture = null, CancellationToken cancellationToken = default)
    {
        var mailbox = MailArguments.Recipient(recipient, nameof(recipient));
        // ASP.NET Core Identity's reset codes are Base64Url-encoded Data Protection tokens: a few hundred characters.
        var checkedCode = MailArguments.Code(code, nameof(code), maxLength: 1024);
        MailArguments.Lifetime(codeLifetime, nameof(codeLifetime));
        return SendTemplatedAsync(SystemMailKind.PasswordResetCode, mailbox, culture, (values, c) =>
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

        return SendCoreAsync("custom", message, settings, cancellationToken);
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
        return await SendCoreAsync(kind.ToString(), message, settings, cancellationToken).ConfigureAwait(false);
    }

    private async Task<SentMail> SendCoreAsync(string kind, MimeMessage message, SmtpSettings settings, CancellationToken cancellationToken)
    {
        var messageId = message.MessageId ?? string.Empty;
        using var activity = SystemMailTelemetry.ActivitySource.StartActivity($"send {kind}", ActivityKind.Client);
        activity?.SetTag("systemmail.mail.kind", kind);
        activity?.SetTag("server.address", settings.Host);
        activity?.SetTag("server.port", settings.Port);
        var tags = new TagList { { "systemmail.mail.kind", kind }, { "server.address", settings.Host } };
        var started = _time.GetTimestamp();
        SendPolicy? policy = null;
        try
        {
            policy = EnterPolicy();
            var reply = await policy.ExecuteAsync(token => _pool.SendAsync(message, token), cancellationToken).ConfigureAwait(false);
            _telemetry.SendDuration.Record(_time.GetElapsedTime(started).TotalSeconds, tags);
            _telemetry.MailsSent.Add(1, tags);
            _health.Succeeded(_time.GetUtcNow());
            Log.MailSent(_logger, kind, messageId, settings.Endpoint);
            return new SentMail(messageId, reply, _time.GetUtcNow());
        }
        catch (SystemMailException ex)
        {
            tags.Add("error.type", ex.Kind.ToString());
            _telemetry.SendDuration.Record(_time.GetElapsedTime(started).TotalSeconds, tags);
            _telemetry.MailsFailed.Add(1, tags);
            _health.Failed(_time.GetUtcNow(), ex);
            activity?.SetTag("error.type", ex.Kind.ToString());
            activity?.SetStatus(ActivityStatusCode.Error, ex.Kind.ToString());
            Log.MailFailed(_logger, ex, kind, messageId, settings.Endpoint, ex.Kind, ex.StatusCode, ex.GetHint(CultureInfo.InvariantCulture));
            throw;
        }
        finally
        {
            policy?.Release();
        }
    }

    /// <summary>
    /// Takes a reference on the policy of the current settings for one send, so a settings change in the meantime
    /// disposes the old policy only once its last send is done.
    /// </summary>
    private SendPolicy EnterPolicy()
    {
        while (true)
        {
            var policy = Policy();
            if (policy.TryAddReference())
            {
                return policy;
            }

            // Replaced and released between the two lines above; the next look finds the new one.
        }
    }

    /// <summary>The retry and pacing policy of the current settings; a settings change starts a new one.</summary>
    /// <remarks>
    /// The pool's current settings, not the ones a send started with: a send that read the settings just before a
    /// change must not put the old policy back (the pool sends it with the new settings anyway).
    /// </remarks>
    private SendPolicy Policy()
    {
        var current = Volatile.Read(ref _policy);
        if (current is not null && ReferenceEquals(current.Settings, _pool.CurrentSettings))
        {
            return current.Policy;
        }

        lock (_policyLock)
        {
            var settings = _pool.CurrentSettings;
            if (_policy is { } again && ReferenceEquals(again.Settings, settings))
            {
                return again.Policy;
            }

            ObjectDisposedException.ThrowIf(_disposed, this);
            var policy = new SendPolicy(settings, _time, _telemetry, _logger);
            var old = _policy;
            Volatile.Write(ref _policy, new PolicyEntry(settings, policy));

            // Sends still running under the old policy hold references to it: it is disposed when the last is done.
            old?.Policy.Dispose();
            return policy;
        }
    }

    private sealed record PolicyEntry(SmtpSettings Settings, SendPolicy Policy);
}
