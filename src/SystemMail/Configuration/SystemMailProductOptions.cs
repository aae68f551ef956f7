using System.ComponentModel.DataAnnotations;

namespace SystemMail;

/// <summary>What the mails say about the product that sends them.</summary>
public sealed class SystemMailProductOptions
{
    /// <summary>Gets or sets the product name shown in subjects and bodies. Defaults to <c>"SystemMail"</c>.</summary>
    [Required(ErrorMessage = "The field {0} is required: the product name the mails show.")]
    public string Name { get; set; } = "SystemMail";

    /// <summary>
    /// Gets or sets the product's home page, linked from the footer of every mail. Optional. When set, the links of the
    /// system mails (activation, password reset, ...) must point at its origin: see <see cref="CheckLinkOrigins"/>.
    /// </summary>
    public Uri? Url { get; set; }

    /// <summary>
    /// Gets or sets whether the link of a system mail (activation, account activated, password reset, password was reset,
    /// unlock) must point at the origin (scheme, host and port) of <see cref="Url"/> or of one of
    /// <see cref="AllowedLinkOrigins"/>. Defaults to <see langword="true"/>; it applies only when <see cref="Url"/> is set.
    /// </summary>
    /// <remarks>
    /// A link built from the request's <c>Host</c> header (ASP.NET Core's <c>Url.Page(..., Request.Scheme)</c>, Identity's
    /// endpoints) points wherever the requester says: a password-reset request with <c>Host: evil.example</c> would mail
    /// the user a working reset link to the attacker's site. Such a mail fails with
    /// <see cref="SystemMailErrorKind.LinkNotAllowed"/> and is not sent.
    /// </remarks>
    public bool CheckLinkOrigins { get; set; } = true;

    /// <summary>
    /// Gets or sets further origins the links of the system mails may point at, such as <c>https://accounts.example.com</c>,
    /// beside <see cref="Url"/>'s. Each is an absolute http or https URL; only its origin counts.
    /// </summary>
    public IList<string> AllowedLinkOrigins { get; set; } = [];

    /// <summary>Gets or sets the address users can write to for help, shown in the footer. Optional.</summary>
    public string? SupportAddress { get; set; }
}
