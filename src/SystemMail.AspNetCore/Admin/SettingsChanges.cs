namespace SystemMail.AspNetCore;

/// <summary>Names the settings that differ between two option sets, for the audit log: names only, never a value.</summary>
internal static class SettingsChanges
{
    private static readonly (string Name, Func<SystemMailOptions, object?> Value)[] Fields =
    [
        ("From", o => o.From),
        ("Provider", o => o.Provider),
        ("Host", o => o.Host),
        ("Port", o => o.Port),
        ("Security", o => o.Security),
        ("MinimumTlsVersion", o => o.MinimumTlsVersion),
        ("Timeout", o => o.Timeout),
        ("Authentication", o => o.Authentication),
        ("Username", o => o.Username),
        ("Password", o => o.Password),
        ("OAuth2.ClientId", o => o.OAuth2?.ClientId),
        ("OAuth2.ClientSecret", o => o.OAuth2?.ClientSecret),
        ("OAuth2.TenantId", o => o.OAuth2?.TenantId),
        ("OAuth2.AuthorizationEndpoint", o => o.OAuth2?.AuthorizationEndpoint),
        ("OAuth2.TokenEndpoint", o => o.OAuth2?.TokenEndpoint),
        ("OAuth2.Scopes", o => string.Join(' ', o.OAuth2?.Scopes ?? [])),
        ("OAuth2.RedirectUri", o => o.OAuth2?.RedirectUri),
        ("Proxy.Type", o => o.Proxy?.Type),
        ("Proxy.Host", o => o.Proxy?.Host),
        ("Proxy.Port", o => o.Proxy?.Port),
        ("Proxy.Username", o => o.Proxy?.Username),
        ("Proxy.Password", o => o.Proxy?.Password),
    ];

    private static readonly HashSet<string> Secrets = new(["Password", "OAuth2.ClientSecret", "Proxy.Password"], StringComparer.Ordinal);

    /// <summary>The names of the settings whose values differ, comma-separated; <c>none</c> when nothing changed.</summary>
    /// <param name="before">The settings before.</param>
    /// <param name="after">The settings after.</param>
    /// <param name="blankSecretsKept">A secret left blank in <paramref name="after"/> is the stored one kept (a form's test), not a change.</param>
    public static string Describe(SystemMailOptions before, SystemMailOptions after, bool blankSecretsKept = false)
    {
        var changed = Fields
            .Where(f => !(blankSecretsKept && Secrets.Contains(f.Name) && Normalize(f.Value(after)) is null))
            .Where(f => !Equals(Normalize(f.Value(before)), Normalize(f.Value(after))))
            .Select(f => f.Name)
            .ToList();
        return changed.Count == 0 ? "none" : string.Join(", ", changed);
    }

    // An empty text and no text are the same setting.
    private static object? Normalize(object? value) => value is string { Length: 0 } ? null : value;
}
