using System.Collections.Concurrent;

namespace SystemMail;

/// <summary>
/// Saved templates that failed as a mail was rendered (the built-in text was sent instead), for the health check to
/// report as degraded until the template is saved again or reset.
/// </summary>
internal sealed class TemplateHealth
{
    private readonly ConcurrentDictionary<(SystemMailKind Kind, string Culture), (string Version, string Reason)> _failures = new();

    /// <summary>Gets why the health check is degraded, a sentence per failed template, or <see langword="null"/>.</summary>
    public string? Problem
    {
        get
        {
            var reasons = _failures.OrderBy(f => f.Key.Kind).ThenBy(f => f.Key.Culture, StringComparer.Ordinal).Select(f => f.Value.Reason).ToList();
            return reasons.Count == 0 ? null : string.Join(" ", reasons);
        }
    }

    /// <summary>Records that <paramref name="template"/> failed.</summary>
    public void Failed(SavedMailTemplate template, string reason) =>
        _failures[(template.Kind, template.Culture)] = (template.Version, reason);

    /// <summary>Forgets the failures of templates that were saved again or reset since.</summary>
    public void Retain(SavedMailTemplates current)
    {
        foreach (var (key, failure) in _failures)
        {
            if (current.Get(key.Kind, key.Culture)?.Version != failure.Version)
            {
                _failures.TryRemove(key, out _);
            }
        }
    }
}
