using System.Globalization;
using MimeKit;

namespace SystemMail;

/// <summary>
/// Renders a system mail under one settings snapshot and builds its MIME message: the one place the values every mail
/// has (product, support address, recipient) and the test mail's own (server, provider) are filled in, for the
/// mailer and the diagnostics alike.
/// </summary>
internal static class SystemMailComposer
{
    public static MimeMessage Compose(
        MailTemplateRenderer renderer,
        SystemMailKind kind,
        MailboxAddress recipient,
        CultureInfo culture,
        SmtpSettings settings,
        DateTimeOffset date,
        Action<Dictionary<string, string>, CultureInfo>? addValues = null)
    {
        var values = Values(kind, recipient, settings);
        addValues?.Invoke(values, culture);
        return SystemMailMessage.Create(renderer.Render(kind, culture, values), settings.From, recipient, date);
    }

    /// <summary>The values every mail of <paramref name="kind"/> has under <paramref name="settings"/>, before its own.</summary>
    public static Dictionary<string, string> Values(SystemMailKind kind, MailboxAddress recipient, SmtpSettings settings) =>
        Values(kind, recipient.Address, settings.Options.Product, settings.Endpoint, settings.Template.DisplayName);

    /// <summary>
    /// The values every mail of <paramref name="kind"/> has, before its own: the product's, the recipient's and, for the
    /// test mail, the server it goes through. Also the template previews' values, which may have no usable settings.
    /// </summary>
    public static Dictionary<string, string> Values(SystemMailKind kind, string recipient, SystemMailProductOptions product, string endpoint, string provider)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["product_name"] = product.Name,
            ["product_url"] = product.Url?.AbsoluteUri ?? string.Empty,
            ["support_address"] = product.SupportAddress ?? string.Empty,
            ["recipient"] = recipient,
        };
        if (kind == SystemMailKind.Test)
        {
            values["endpoint"] = endpoint;
            values["provider"] = provider;
        }

        return values;
    }
}
