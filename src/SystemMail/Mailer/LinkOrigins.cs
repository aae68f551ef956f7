using Microsoft.Extensions.Options;

namespace SystemMail;

/// <summary>
/// The rule that the links of the system mails point at the product: at the origin of
/// <see cref="SystemMailProductOptions.Url"/> or of one of <see cref="SystemMailProductOptions.AllowedLinkOrigins"/>,
/// so a link made from a forged <c>Host</c> header never reaches a user.
/// </summary>
internal static class LinkOrigins
{
    /// <summary>Throws <see cref="SystemMailErrorKind.LinkNotAllowed"/> when <paramref name="link"/> points elsewhere than the product allows.</summary>
    public static void Check(Uri? link, SystemMailProductOptions? product)
    {
        if (link is null || product is not { CheckLinkOrigins: true, Url: { IsAbsoluteUri: true } url })
        {
            return;
        }

        var origin = Of(link);
        if (string.Equals(origin, Of(url), StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        foreach (var allowed in product.AllowedLinkOrigins ?? [])
        {
            if (Uri.TryCreate(allowed, UriKind.Absolute, out var other) && string.Equals(origin, Of(other), StringComparison.OrdinalIgnoreCase))
            {
                return;
            }
        }

        throw new SystemMailException(
            SystemMailErrorKind.LinkNotAllowed,
            $"The link of the mail points at {origin}, not at the product's origin; the mail was not sent.",
            Hints.LinkOriginNotAllowed(origin, Of(url)));
    }

    /// <summary>Checks <see cref="SystemMailProductOptions.AllowedLinkOrigins"/>: absolute http or https URLs.</summary>
    public static void Validate(SystemMailProductOptions product, ValidationErrors errors)
    {
        var index = 0;
        foreach (var allowed in product.AllowedLinkOrigins ?? [])
        {
            if (!Uri.TryCreate(allowed, UriKind.Absolute, out var origin) || (origin.Scheme != Uri.UriSchemeHttps && origin.Scheme != Uri.UriSchemeHttp))
            {
                errors.Add($"Product.AllowedLinkOrigins:{index}", "LinkOriginInvalid", allowed);
            }

            index++;
        }
    }

    /// <summary>The origin of an absolute URI: scheme, host (IDNA form) and port, as <c>https://host[:port]</c>.</summary>
    public static string Of(Uri uri) =>
        uri.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped);
}
