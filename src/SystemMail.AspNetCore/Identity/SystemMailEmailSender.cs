using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace SystemMail.AspNetCore;

/// <summary>
/// ASP.NET Core Identity's mail, sent as SystemMail's localized system mails: the confirmation link as the activation
/// mail, the reset link as the password-reset mail and the reset code as the password-reset code mail. The language is
/// <see cref="System.Globalization.CultureInfo.CurrentUICulture"/> (the request's, with request localization).
/// </summary>
/// <remarks>
/// When the outbox is registered (<see cref="ISystemMailOutbox"/>), each mail is queued instead of sent: sign-up and
/// forgot-password answer at once, and the same whether the mail server is up or not (and whether the address has an
/// account or not); the outbox sends the mail, retries it and lets it expire with its link or code.
/// </remarks>
/// <typeparam name="TUser">The Identity user type.</typeparam>
internal sealed class SystemMailEmailSender<TUser> : IEmailSender<TUser>
    where TUser : class
{
    // Identity's TOTP providers (email, phone, authenticator) accept a code for a 3-minute time step.
    private static readonly TimeSpan TotpLifetime = TimeSpan.FromMinutes(3);

    private readonly ISystemMailer _mailer;
    private readonly ISystemMailOutbox? _outbox;
    private readonly IOptions<IdentityOptions> _identity;
    private readonly IOptions<DataProtectionTokenProviderOptions> _dataProtectionTokens;

    public SystemMailEmailSender(
        ISystemMailer mailer,
        IOptions<IdentityOptions> identity,
        IOptions<DataProtectionTokenProviderOptions> dataProtectionTokens,
        ISystemMailOutbox? outbox = null)
    {
        _mailer = mailer;
        _outbox = outbox;
        _identity = identity;
        _dataProtectionTokens = dataProtectionTokens;
    }

    public Task SendConfirmationLinkAsync(TUser user, string email, string confirmationLink)
    {
        var link = Link(confirmationLink, nameof(confirmationLink));
        var lifetime = Lifetime(_identity.Value.Tokens.EmailConfirmationTokenProvider);
        return _outbox is not null
            ? AsIfSentAsync(_outbox.QueueActivationAsync(email, link, lifetime))
            : AsIfSentAsync(_mailer.SendActivationAsync(email, link, lifetime));
    }

    public Task SendPasswordResetLinkAsync(TUser user, string email, string resetLink)
    {
        var link = Link(resetLink, nameof(resetLink));
        var lifetime = Lifetime(_identity.Value.Tokens.PasswordResetTokenProvider);
        return _outbox is not null
            ? AsIfSentAsync(_outbox.QueuePasswordResetAsync(email, link, lifetime))
            : AsIfSentAsync(_mailer.SendPasswordResetAsync(email, link, lifetime));
    }

    public Task SendPasswordResetCodeAsync(TUser user, string email, string resetCode)
    {
        var lifetime = Lifetime(_identity.Value.Tokens.PasswordResetTokenProvider);
        return _outbox is not null
            ? AsIfSentAsync(_outbox.QueuePasswordResetCodeAsync(email, resetCode, lifetime))
            : AsIfSentAsync(_mailer.SendPasswordResetCodeAsync(email, resetCode, lifetime));
    }

    /// <summary>
    /// A mail refused (or not queued) to protect the user (its link points at another site than <c>Product.Url</c>, or its recipient
    /// reached <c>RecipientLimit</c>) is not sent, and the request that asked for it is answered as for a sent mail:
    /// Identity calls the sender only for an account that exists, so an error here would tell a stranger which
    /// addresses have one. The mailer logs and counts the refusal.
    /// </summary>
    private static async Task AsIfSentAsync(Task send)
    {
        try
        {
            await send.ConfigureAwait(false);
        }
        catch (SystemMailException ex) when (ex.Kind is SystemMailErrorKind.LinkNotAllowed or SystemMailErrorKind.RecipientLimited)
        {
            // Fails closed: nothing was sent.
        }
    }

    /// <summary>Identity passes links HTML-encoded (for its own HTML bodies); SystemMail escapes values itself.</summary>
    private static Uri Link(string link, string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(link, parameterName);
        var decoded = WebUtility.HtmlDecode(link);
        return Uri.TryCreate(decoded, UriKind.Absolute, out var uri)
            ? uri
            : throw new ArgumentException($"The link must be absolute; got '{decoded}'.", parameterName);
    }

    /// <summary>How long the token in the mail stays valid, from the Identity token provider that made it.</summary>
    private TimeSpan Lifetime(string providerName)
    {
        if (_identity.Value.Tokens.ProviderMap.TryGetValue(providerName, out var descriptor) &&
            IsGenericSubclassOf(descriptor.ProviderType, typeof(TotpSecurityStampBasedTokenProvider<>)))
        {
            return TotpLifetime;
        }

        return _dataProtectionTokens.Value.TokenLifespan;
    }

    private static bool IsGenericSubclassOf(Type? type, Type openGeneric)
    {
        for (; type is not null; type = type.BaseType)
        {
            if (type.IsGenericType && type.GetGenericTypeDefinition() == openGeneric)
            {
                return true;
            }
        }

        return false;
    }
}
