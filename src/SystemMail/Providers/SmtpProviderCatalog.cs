using System.Diagnostics.CodeAnalysis;

namespace SystemMail;

internal sealed class SmtpProviderCatalog : ISmtpProviderCatalog
{
    private readonly Dictionary<string, ISmtpProviderTemplate> _byId = new(StringComparer.OrdinalIgnoreCase);

    public SmtpProviderCatalog(IEnumerable<ISmtpProviderTemplate> hostTemplates)
    {
        var ordered = new List<string>();
        foreach (var template in SmtpProviderTemplates.BuiltIn.Concat(hostTemplates))
        {
            if (string.IsNullOrWhiteSpace(template.Id))
            {
                throw new InvalidOperationException($"The provider template {template.GetType().FullName} has no Id.");
            }

            if (!_byId.ContainsKey(template.Id))
            {
                ordered.Add(template.Id);
            }

            // A host's template with a built-in id replaces the built-in, keeping its place in the list.
            _byId[template.Id] = template;
        }

        Templates = ordered.Select(id => _byId[id]).ToArray();
    }

    public IReadOnlyList<ISmtpProviderTemplate> Templates { get; }

    public bool TryGet(string? id, [NotNullWhen(true)] out ISmtpProviderTemplate? providerTemplate)
    {
        providerTemplate = null;
        return id is not null && _byId.TryGetValue(id.Trim(), out providerTemplate);
    }
}
