using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Resources;

namespace SystemMail.Tests.Errors;

/// <summary>Every hint <see cref="Hints"/> makes, and the texts in its resources.</summary>
internal static class HintCatalog
{
    /// <summary>The resources the hints read, opened the way any reader of the package would.</summary>
    public static readonly ResourceManager Resources = new("SystemMail.Errors.Resources.Hints", typeof(Hint).Assembly);

    /// <summary>Every member of <see cref="Hints"/>, called with sample values.</summary>
    /// <param name="security">The security given to hints worded by it.</param>
    public static IEnumerable<(string Member, Hint Hint)> All(SmtpSecurity security = SmtpSecurity.StartTls)
    {
        foreach (var property in typeof(Hints).GetProperties(BindingFlags.Public | BindingFlags.Static))
        {
            yield return (property.Name, (Hint)property.GetValue(null)!);
        }

        foreach (var method in typeof(Hints).GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.ReturnType == typeof(Hint) && !m.IsSpecialName))
        {
            var arguments = method.GetParameters().Select(p => p.ParameterType switch
            {
                var t when t == typeof(SmtpSecurity) => (object)security,
                var t when t == typeof(TimeSpan) => TimeSpan.FromSeconds(42),
                var t when t == typeof(int) => 7,
                _ => "value-" + p.Name,
            }).ToArray();
            yield return (method.Name, (Hint)method.Invoke(null, arguments)!);
        }
    }

    /// <summary>The languages with a satellite assembly beside SystemMail.dll, such as zh-Hans.</summary>
    public static IEnumerable<string> TranslatedLanguages()
    {
        var directory = Path.GetDirectoryName(typeof(Hint).Assembly.Location)!;
        return Directory.EnumerateDirectories(directory)
            .Where(d => File.Exists(Path.Combine(d, "SystemMail.resources.dll")))
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)!;
    }

    /// <summary>The texts of one language alone, without falling back to its parents; "" for the English neutral texts.</summary>
    public static Dictionary<string, string> Texts(string language) =>
        Resources.GetResourceSet(CultureInfo.GetCultureInfo(language), createIfNotExists: true, tryParents: false)!
            .Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string)e.Value!, StringComparer.Ordinal);
}
