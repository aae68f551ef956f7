namespace SystemMail;

/// <summary>
/// A host's own text for one system mail, as Liquid templates. A part left <see langword="null"/> keeps the built-in one.
/// </summary>
/// <remarks>
/// Every mail has <c>product_name</c>, <c>product_url</c>, <c>support_address</c> and <c>recipient</c>, plus the
/// variables listed on its <see cref="SystemMailKind"/>. Values are HTML-escaped in <see cref="Html"/>; the HTML is
/// placed inside the built-in layout.
/// </remarks>
public sealed class MailTemplate
{
    /// <summary>Gets or sets the subject template (one line).</summary>
    public string? Subject { get; set; }

    /// <summary>Gets or sets the HTML body template (the content inside the layout).</summary>
    public string? Html { get; set; }

    /// <summary>Gets or sets the plain-text body template.</summary>
    public string? Text { get; set; }
}
