using System.ComponentModel;
using System.Reflection;
using System.Security.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace SystemMail;

/// <summary>
/// Binds the SystemMail configuration section as <c>OptionsBuilder.Bind</c> does, except for the values the binder cannot
/// convert (<c>"Security": "Tls"</c>, <c>"Port": "587a"</c>): those are left out of the binding and reported as validation
/// failures beside every other problem, where the binder alone would stop at the first with an
/// <see cref="InvalidOperationException"/> that hides the rest.
/// </summary>
/// <remarks>
/// Every value of a setting that is not text is first converted by the binder itself
/// (<see cref="ConfigurationBinder.GetValue(IConfiguration, Type, string)"/>), so the verdict is the binder's; then the
/// section is bound through a view without the values that failed, which keep their defaults.
/// </remarks>
internal sealed class SectionBinding : IConfigureOptions<SystemMailOptions>, IValidateOptions<SystemMailOptions>
{
    private const int ShownLength = 40;
    private readonly IConfigurationSection _section;

    public SectionBinding(IConfigurationSection section)
    {
        _section = section;
    }

    public void Configure(SystemMailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var unreadable = Unreadable();
        IConfiguration view = unreadable.Count == 0
            ? _section
            : new SectionView(_section, unreadable.Select(u => u.ConfigurationPath).ToHashSet(StringComparer.OrdinalIgnoreCase));
        view.Bind(options);
    }

    public ValidateOptionsResult Validate(string? name, SystemMailOptions options)
    {
        if (name is not null && name != Options.DefaultName)
        {
            return ValidateOptionsResult.Skip;
        }

        var errors = new ValidateOptionsResultBuilder();
        foreach (var value in Unreadable())
        {
            errors.AddError(value.Problem, value.Setting);
        }

        return errors.Build();
    }

    private List<UnreadableValue> Unreadable()
    {
        var found = new List<UnreadableValue>();
        Walk(_section, typeof(SystemMailOptions), string.Empty, found);
        return found;
    }

    // The settings' own types, walked as the binder walks them: a key that names no property is ignored, as it does.
    private static void Walk(IConfiguration section, Type type, string prefix, List<UnreadableValue> found)
    {
        foreach (var child in section.GetChildren())
        {
            var property = type.GetProperty(child.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                continue;
            }

            var setting = prefix + property.Name;
            var target = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (target != typeof(string) && TypeDescriptor.GetConverter(target).CanConvertFrom(typeof(string)))
            {
                if (child.Value is { } value && !Converts(section, property.PropertyType, child.Key))
                {
                    found.Add(new UnreadableValue(child.Path, setting, Describe(target, value)));
                }
            }
            else if (target.IsClass && target != typeof(string) && target.GetConstructor(Type.EmptyTypes) is not null)
            {
                Walk(child, target, setting + ".", found);
            }
        }
    }

    private static bool Converts(IConfiguration section, Type type, string key)
    {
        try
        {
            section.GetValue(type, key);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    // Only values of settings that are not text are described, never a password or a host; long ones are cut.
    private static string Describe(Type type, string value)
    {
        var shown = value.Length <= ShownLength ? value : string.Concat(value.AsSpan(0, ShownLength), "…");
        return type switch
        {
            _ when type == typeof(SslProtocols) => $"'{shown}' is not a TLS version; use Tls12 or Tls13.",
            { IsEnum: true } => $"'{shown}' is not one of {string.Join(", ", Enum.GetNames(type))}.",
            _ when type == typeof(bool) => $"'{shown}' is not true or false.",
            _ when type == typeof(TimeSpan) => $"'{shown}' is not a duration; write it as [d.]hh:mm:ss, such as '00:00:30'.",
            _ when type == typeof(Uri) => "is not a URL.",
            _ when type == typeof(int) || type == typeof(long) => $"'{shown}' is not a whole number in range.",
            _ => $"'{shown}' cannot be read as {type.Name}.",
        };
    }

    private sealed record UnreadableValue(string ConfigurationPath, string Setting, string Problem);

    /// <summary>The section as the binder should see it: the hidden values are absent, everything else is the section's.</summary>
    private sealed class SectionView : IConfigurationSection
    {
        private readonly IConfigurationSection _inner;
        private readonly HashSet<string> _hidden;

        public SectionView(IConfigurationSection inner, HashSet<string> hidden)
        {
            _inner = inner;
            _hidden = hidden;
        }

        public string Key => _inner.Key;

        public string Path => _inner.Path;

        public string? Value
        {
            get => _hidden.Contains(_inner.Path) ? null : _inner.Value;
            set => throw new NotSupportedException();
        }

        public string? this[string key]
        {
            get => GetSection(key).Value;
            set => throw new NotSupportedException();
        }

        public IEnumerable<IConfigurationSection> GetChildren() =>
            _inner.GetChildren().Where(child => !_hidden.Contains(child.Path)).Select(child => new SectionView(child, _hidden));

        public IChangeToken GetReloadToken() => _inner.GetReloadToken();

        public IConfigurationSection GetSection(string key) => new SectionView(_inner.GetSection(key), _hidden);
    }
}
