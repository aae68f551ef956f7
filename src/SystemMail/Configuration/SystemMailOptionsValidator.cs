using Microsoft.Extensions.Options;
using MimeKit;

namespace SystemMail;

/// <summary>
/// Checks the rules that an attribute cannot state: rules across settings and against the provider template. It reports
/// all of its problems at once, each with its field and reason.
/// </summary>
/// <remarks>
/// The range or presence of each single setting is an attribute on the options, checked by the generated
/// <see cref="SystemMailOptionsRangeValidator"/>; a rule here leaves to it a value it reports. The groups of rules live
/// beside the settings they check: <see cref="ProviderTemplateRules"/>, <see cref="InsecureAuthenticationRules"/>,
/// <see cref="OAuthRules"/>, <see cref="ProxyRules"/> and <see cref="ResilienceRules"/>. Each problem is a message id
/// with its values (<see cref="ValidationErrors"/>): English here, in the administrator's language on the admin
/// endpoints, from the one set of rules.
/// </remarks>
internal sealed class SystemMailOptionsValidator : IValidateOptions<SystemMailOptions>
{
    private readonly ISmtpProviderCatalog _catalog;

    public SystemMailOptionsValidator(ISmtpProviderCatalog catalog)
    {
        _catalog = catalog;
    }

    public ValidateOptionsResult Validate(string? name, SystemMailOptions options) => Check(options).Build();

    /// <summary>
    /// Checks <paramref name="options"/> and keeps each problem's message id and values, for an edge that shows them in
    /// the administrator's language; <see cref="Validate"/> gives the same problems in English.
    /// </summary>
    public ValidationErrors Check(SystemMailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidationErrors();

        ValidateFrom(options, errors);
        ValidateLocalDomain(options, errors);
        ResilienceRules.Validate(options, errors);

        ISmtpProviderTemplate? template = null;
        if (string.IsNullOrWhiteSpace(options.Provider))
        {
            errors.Add(nameof(options.Provider), "ProviderRequired", KnownIds());
        }
        else if (!_catalog.TryGet(options.Provider, out template))
        {
            errors.Add(nameof(options.Provider), "ProviderUnknown", options.Provider, KnownIds());
        }

        // Without a template, the rules that need one are skipped and the others still run.
        ProviderTemplateRules.ValidateConnection(options, template, errors);
        ProviderTemplateRules.ValidateAuthentication(options, template, errors);
        if (template is not null)
        {
            ResilienceRules.ValidateSendingLimit(options, template, errors);
            if (Enum.IsDefined(options.Authentication))
            {
                InsecureAuthenticationRules.Validate(options, template, errors);
            }
        }

        GraphRules.Validate(options, template, errors);
        ProviderTemplateRules.ValidateTemplateEndpoints(_catalog, errors);
        ProxyRules.Validate(options.Proxy, errors);
        ValidateAllowedDestinations(options, errors);
        ValidateProduct(options.Product, errors);
        return errors;
    }

    private static void ValidateFrom(SystemMailOptions options, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(options.From))
        {
            // [Required] reports it.
            return;
        }

        if (options.From.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            errors.Add(nameof(options.From), "FromLineBreak");
        }
        else if (MailAddressRules.HasDirectionControl(options.From))
        {
            // Not echoed: the character would turn the rest of the message around.
            errors.Add(nameof(options.From), "FromDirectionControl");
        }
        else if (!IsMailbox(options.From) || !MailboxAddress.TryParse(ParserOptions.Default, options.From, out var from))
        {
            errors.Add(nameof(options.From), "FromInvalid", options.From);
        }
        else if (from.Route.Count > 0)
        {
            errors.Add(nameof(options.From), "FromSourceRoute");
        }
        else if (MailAddressRules.IsTooLong(from))
        {
            errors.Add(nameof(options.From), "FromTooLong", MailAddressRules.MaxAddressOctets, MailAddressRules.MaxLocalPartOctets);
        }
    }

    private static void ValidateLocalDomain(SystemMailOptions options, ValidationErrors errors)
    {
        if (options.LocalDomain is { } local && (string.IsNullOrWhiteSpace(local) || local.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))))
        {
            errors.Add(nameof(options.LocalDomain), "LocalDomainInvalid");
        }
    }

    private static void ValidateAllowedDestinations(SystemMailOptions options, ValidationErrors errors)
    {
        var index = 0;
        foreach (var entry in options.AllowedDestinations ?? [])
        {
            if (!DestinationPattern.TryParse(entry, out _, out var problem))
            {
                // The host's configuration alone sets these: the problem stays in English, as the operator reads it.
                errors.Add($"AllowedDestinations[{index}]", ValidationMessage.Verbatim(problem!));
            }

            index++;
        }
    }

    private static void ValidateProduct(SystemMailProductOptions? product, ValidationErrors errors)
    {
        if (product is null)
        {
            return;
        }

        // An empty name is [Required]'s to report.
        if (!string.IsNullOrWhiteSpace(product.Name) && product.Name.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            errors.Add("Product.Name", "ProductNameLineBreak");
        }

        if (product.Url is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)))
        {
            errors.Add("Product.Url", "UrlNotAbsoluteHttpOrHttps", url.OriginalString);
        }

        LinkOrigins.Validate(product, errors);

        if (!string.IsNullOrEmpty(product.SupportAddress) && !IsMailbox(product.SupportAddress))
        {
            errors.Add("Product.SupportAddress", "AddressInvalid", product.SupportAddress);
        }
    }

    private static bool IsMailbox(string value) =>
        value.AsSpan().IndexOfAny('\r', '\n') < 0 &&
        MailboxAddress.TryParse(ParserOptions.Default, value, out var mailbox) &&
        mailbox.Address.IndexOf('@', StringComparison.Ordinal) > 0 &&
        !mailbox.Address.EndsWith('@');

    private string KnownIds() => string.Join(", ", _catalog.Templates.Select(t => t.Id));
}
