using System.Diagnostics.CodeAnalysis;

namespace SystemMail;

/// <summary>The provider templates known to this host: the built-ins and the host's own, for a settings page's drop-down.</summary>
public interface ISmtpProviderCatalog
{
    /// <summary>Gets every template: the built-ins first (as replaced by the host, if it did), then the host's own.</summary>
    IReadOnlyList<ISmtpProviderTemplate> Templates { get; }

    /// <summary>Finds a template by id, ignoring case.</summary>
    /// <param name="id">The template id, such as <c>google</c>.</param>
    /// <param name="providerTemplate">The template, when found.</param>
    /// <returns><see langword="true"/> when a template has that id.</returns>
    bool TryGet(string? id, [NotNullWhen(true)] out ISmtpProviderTemplate? providerTemplate);
}
