using System.ComponentModel.DataAnnotations;

namespace SystemMail;

/// <summary>
/// Bounds the mails anyone can make SystemMail send to an address, by asking for them on the host's pages: activation
/// (a resend), password reset (link and code) and verification code. Past <see cref="PermitLimit"/> mails to one
/// recipient within <see cref="Window"/> a mail is not sent and fails with <see cref="SystemMailErrorKind.RecipientLimited"/>
/// (the Identity sender answers as if it had been sent).
/// </summary>
/// <remarks>
/// The count is kept in the host's <c>IDistributedCache</c> when one is registered, so every instance shares it, and in
/// memory otherwise. It is keyed by an HMAC of the address, never the address.
/// </remarks>
public sealed class SystemMailRecipientLimitOptions
{
    /// <summary>Gets or sets whether the limit applies. Defaults to <see langword="true"/>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets how many such mails one recipient may get per <see cref="Window"/>, from 1 to 1000. Defaults to 5.</summary>
    [Range(1, 1000)]
    public int PermitLimit { get; set; } = 5;

    /// <summary>Gets or sets the sliding window, from 1 second to 7 days. Defaults to 1 hour.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);
}
