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
/// <see cref="OAuthRules"/>, <see cref="ProxyRules"/> and <see cref="ResilienceRules"/>.
/// </remarks>
internal sealed class SystemMailOptionsValidator : IValidateOptions<SystemMailOptions>
{
    /// <summary>The advice for a setting that a built-in template owns.</summary>
    internal const string ChooseCustom = "to change it, choose Provider 'custom'";

    /// <summary>The problem with a host name that is not bare. Never echoes the value: one such as 'user:password@host' carries a secret.</summary>
    internal const string NotBareHost = "must be a bare host name or IP address, such as 'smtp.example.com', without user, password, scheme, port, path or spaces";

    private readonly ISmtpProviderCatalog _catalog;

    public SystemMailOptionsValidator(ISmtpProviderCatalog catalog)
    {
        _catalog = catalog;
    }

    public ValidateOptionsResult Validate(string? name, SystemMailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidateOptionsResultBuilder();

        ValidateFrom(options, errors);
        ValidateLocalDomain(options, errors);
        ResilienceRules.Validate(options, errors);

        ISmtpProviderTemplate? template = null;
        if (string.IsNullOrWhiteSpace(options.Provider))
        {
            errors.AddError($"is required: choose one of {KnownIds()}.", nameof(options.Provider));
        }
        else if (!_catalog.TryGet(options.Provider, out template))
        {
            errors.AddError($"'{options.Provider}' is not a known provider template; choose one of {KnownIds()}.", nameof(options.Provider));
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
        return errors.Build();
    }

    private static void ValidateFrom(SystemMailOptions options, ValidateOptionsResultBuilder errors)
    {
        if (string.IsNullOrWhiteSpace(options.From))
        {
            // [Required] reports it.
            return;
        }

        if (options.From.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            errors.AddError("must not contain a line break.", nameof(options.From));
        }
        else if (MailAddressRules.HasDirectionControl(options.From))
        {
            // Not echoed: the character would turn the rest of the message around.
            errors.AddError("must not contain a character that changes the text direction (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C).", nameof(options.From));
        }
        else if (!IsMailbox(options.From) || !MailboxAddress.TryParse(ParserOptions.Default, options.From, out var from))
        {
            errors.AddError($"'{options.From}' is not a valid address; use 'name@domain' or 'Display Name <name@domain>'.", nameof(options.From));
        }
        else if (from.Route.Count > 0)
        {
            errors.AddError("must not have a source route; use 'name@domain' or 'Display Name <name@domain>'.", nameof(options.From));
        }
        else if (MailAddressRules.IsTooLong(from))
        {
            errors.AddError(
                $"is too long: an address has at most {MailAddressRules.MaxAddressOctets} characters, at most {MailAddressRules.MaxLocalPartOctets} of them before the @.",
                nameof(options.From));
        }
    }

    private static void ValidateLocalDomain(SystemMailOptions options, ValidateOptionsResultBuilder errors)
    {
        if (options.LocalDomain is { } local && (string.IsNullOrWhiteSpace(local) || local.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))))
        {
            errors.AddError("must be a host name without spaces or line breaks.", nameof(options.LocalDomain));
        }
    }

    private static void ValidateAllowedDestinations(SystemMailOptions options, ValidateOptionsResultBuilder errors)
    {
        var index = 0;
        foreach (var entry in options.AllowedDestinations ?? [])
        {
            if (!DestinationPattern.TryParse(entry, out _, out var problem))
            {
                errors.AddError(problem!, $"AllowedDestinations[{index}]");
            }

            index++;
        }
    }

    private static void ValidateProduct(SystemMailProductOptions? product, ValidateOptionsResultBuilder errors)
    {
        if (product is null)
        {
            return;
        }

        // An empty name is [Required]'s to report.
        if (!string.IsNullOrWhiteSpace(product.Name) && product.Name.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            errors.AddError("must not contain a line break (it appears in subjects).", "Product.Name");
        }

        if (product.Url is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)))
        {
            errors.AddError($"'{url.OriginalString}' must be an absolute http or https URL.", "Product.Url");
        }

        LinkOrigins.Validate(product, errors);

        if (!string.IsNullOrEmpty(product.SupportAddress) && !IsMailbox(product.SupportAddress))
        {
            errors.AddError($"'{product.SupportAddress}' is not a valid address.", "Product.SupportAddress");
        }
    }

    private static bool IsMailbox(string value) =>
        value.AsSpan().IndexOfAny('\r', '\n') < 0 &&
        MailboxAddress.TryParse(ParserOptions.Default, value, out var mailbox) &&
        mailbox.Address.IndexOf('@', StringComparison.Ordinal) > 0 &&
        !mailbox.Address.EndsWith('@');

    private string KnownIds() => string.Join(", ", _catalog.Templates.Select(t => t.Id));
}
