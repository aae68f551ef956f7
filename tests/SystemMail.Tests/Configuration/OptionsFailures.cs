using Microsoft.Extensions.Options;

namespace SystemMail.Tests.Configuration;

/// <summary>Runs SystemMail's two validators as the options factory does, and reads the setting each failure names.</summary>
internal static class OptionsFailures
{
    private const string HandWrittenPrefix = "Property ";
    private const string AttributeMarker = ": The field ";

    public static IReadOnlyList<string> Of(SystemMailOptions options)
    {
        IValidateOptions<SystemMailOptions>[] validators = [new SystemMailOptionsRangeValidator(), new SystemMailOptionsValidator(new SmtpProviderCatalog([]))];
        return [.. validators.Select(v => v.Validate(Options.DefaultName, options)).Where(r => r.Failed).SelectMany(r => r.Failures ?? [])];
    }

    /// <summary>
    /// The dotted path of the setting: "Property Retry.Delay: …" from a hand-written rule, or
    /// "Delay: The field SystemMailOptions.Retry.Delay …" from an attribute.
    /// </summary>
    public static string? Field(string failure)
    {
        if (failure.StartsWith(HandWrittenPrefix, StringComparison.Ordinal))
        {
            var colon = failure.IndexOf(": ", StringComparison.Ordinal);
            return colon > 0 ? failure[HandWrittenPrefix.Length..colon] : null;
        }

        var marker = failure.IndexOf(AttributeMarker, StringComparison.Ordinal);
        if (marker <= 0)
        {
            return null;
        }

        var display = failure[(marker + AttributeMarker.Length)..].Split(' ')[0];
        var path = display[(display.IndexOf('.', StringComparison.Ordinal) + 1)..];
        var member = failure[..marker];
        return path == member || path.EndsWith("." + member, StringComparison.Ordinal) ? path : null;
    }

    public static void AssertSingle(SystemMailOptions options, string property, string fragment)
    {
        var failure = Assert.Single(Of(options));
        Assert.Equal(property, Field(failure));
        Assert.Contains(fragment, failure, StringComparison.OrdinalIgnoreCase);
    }
}
