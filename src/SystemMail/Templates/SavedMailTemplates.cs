namespace SystemMail;

/// <summary>One template an administrator saved for a mail kind and a culture: its three parts and who saved which version when.</summary>
/// <param name="Kind">The mail.</param>
/// <param name="Culture">The culture name, such as <c>de</c> or <c>zh-Hans</c>.</param>
/// <param name="Subject">The subject template.</param>
/// <param name="Html">The HTML body template (the content inside the layout).</param>
/// <param name="Text">The plain-text body template.</param>
/// <param name="Version">The version of this template, for optimistic concurrency; a save gives a new one.</param>
/// <param name="UpdatedBy">The administrator who saved it, or <see langword="null"/>.</param>
/// <param name="UpdatedAt">When it was saved.</param>
internal sealed record SavedMailTemplate(
    SystemMailKind Kind,
    string Culture,
    string Subject,
    string Html,
    string Text,
    string Version,
    string? UpdatedBy,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Gets the parts as a <see cref="MailTemplate"/>.</summary>
    public MailTemplate ToTemplate() => new() { Subject = Subject, Html = Html, Text = Text };
}

/// <summary>
/// Every saved template at one version of the store's record, immutable: the renderer reads one snapshot per mail.
/// </summary>
internal sealed class SavedMailTemplates
{
    private readonly Dictionary<(SystemMailKind Kind, string Culture), SavedMailTemplate> _templates;

    public SavedMailTemplates(IEnumerable<SavedMailTemplate> templates, long revision, string? storeVersion)
    {
        _templates = templates.ToDictionary(t => (t.Kind, t.Culture), StringTupleComparer.Instance);
        Revision = revision;
        StoreVersion = storeVersion;
    }

    /// <summary>Gets the snapshot of a store that holds no templates.</summary>
    public static SavedMailTemplates Empty { get; } = new([], 0, null);

    /// <summary>Gets the counter the record's saves increment; a template's version is the revision it was saved at.</summary>
    public long Revision { get; }

    /// <summary>Gets the store's version of the record this snapshot was read from, or <see langword="null"/> when there is none.</summary>
    public string? StoreVersion { get; }

    /// <summary>Gets whether no template is saved: the renderer then looks no further.</summary>
    public bool IsEmpty => _templates.Count == 0;

    /// <summary>Gets every saved template.</summary>
    public IEnumerable<SavedMailTemplate> All => _templates.Values;

    /// <summary>Gets the template saved for exactly this kind and culture.</summary>
    public SavedMailTemplate? Get(SystemMailKind kind, string culture) => _templates.GetValueOrDefault((kind, culture));

    /// <summary>Gets the first template saved along a culture chain (<see cref="CultureFallback.Chain"/>), or <see langword="null"/>.</summary>
    public SavedMailTemplate? Find(SystemMailKind kind, IReadOnlyList<string> chain)
    {
        if (_templates.Count == 0)
        {
            return null;
        }

        foreach (var culture in chain)
        {
            if (_templates.TryGetValue((kind, culture), out var template))
            {
                return template;
            }
        }

        return null;
    }

    /// <summary>Culture names compare without case, as <see cref="System.Globalization.CultureInfo"/> does.</summary>
    private sealed class StringTupleComparer : IEqualityComparer<(SystemMailKind Kind, string Culture)>
    {
        public static readonly StringTupleComparer Instance = new();

        public bool Equals((SystemMailKind Kind, string Culture) x, (SystemMailKind Kind, string Culture) y) =>
            x.Kind == y.Kind && StringComparer.OrdinalIgnoreCase.Equals(x.Culture, y.Culture);

        public int GetHashCode((SystemMailKind Kind, string Culture) obj) =>
            HashCode.Combine(obj.Kind, StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Culture));
    }
}
