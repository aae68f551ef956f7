using Microsoft.Extensions.DependencyInjection.Extensions;
using SystemMail;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Settings on <see cref="ISystemMailBuilder"/>: provider templates and mail templates.</summary>
public static class SystemMailBuilderExtensions
{
    /// <summary>Adds a provider template of the host's, created by the container. One with a built-in id replaces the built-in.</summary>
    /// <typeparam name="TTemplate">The template type.</typeparam>
    /// <param name="builder">The SystemMail builder.</param>
    /// <returns>The same builder.</returns>
    public static ISystemMailBuilder AddProviderTemplate<TTemplate>(this ISystemMailBuilder builder)
        where TTemplate : class, ISmtpProviderTemplate
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ISmtpProviderTemplate, TTemplate>());
        return builder;
    }

    /// <summary>Adds a provider template of the host's. One with a built-in id replaces the built-in.</summary>
    /// <param name="builder">The SystemMail builder.</param>
    /// <param name="template">The template, such as a <see cref="SmtpProviderTemplate"/>.</param>
    /// <returns>The same builder.</returns>
    public static ISystemMailBuilder AddProviderTemplate(this ISystemMailBuilder builder, ISmtpProviderTemplate template)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(template);
        builder.Services.AddSingleton(template);
        return builder;
    }

    /// <summary>
    /// Replaces the text of one system mail with the host's own Liquid templates, for one culture or for all.
    /// Parts left <see langword="null"/> keep the built-in text. Templates are checked when the host starts.
    /// </summary>
    /// <param name="builder">The SystemMail builder.</param>
    /// <param name="kind">The mail whose text is replaced.</param>
    /// <param name="template">The host's subject, HTML and text templates.</param>
    /// <param name="culture">The culture name, such as <c>"zh-Hans"</c> or <c>"fr"</c>; <see langword="null"/> for every culture.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="System.Globalization.CultureNotFoundException"><paramref name="culture"/> is not a culture name.</exception>
    public static ISystemMailBuilder AddMailTemplate(this ISystemMailBuilder builder, SystemMailKind kind, MailTemplate template, string? culture = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(template);
        var key = (kind, MailTemplateOptions.NormalizeCulture(culture));
        builder.Services.Configure<MailTemplateOptions>(options => options.Overrides[key] = template);
        return builder;
    }
}
