using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text.Encodings.Web;
using Fluid;
using Fluid.Values;
using Microsoft.Extensions.Options;

namespace SystemMail;

/// <summary>
/// Renders the Liquid templates of the system mails. Each template is parsed once per kind and culture and
/// cached; the host's overrides are looked up first, then the built-ins, along <see cref="CultureFallback.Chain"/>
/// (the culture, its parents, then English), the rule the hints follow too.
/// </summary>
/// <remarks>
/// A host's template is code that runs on every mail: <see cref="MaxSteps"/> and <see cref="MaxRecursion"/> stop one
/// that would loop without end, and its mail fails at once with an error naming the template.
/// </remarks>
internal sealed class MailTemplateRenderer
{
    /// <summary>
    /// The most statements and loop iterations one mail may run, its five templates together. The built-in templates
    /// need a few hundred; a mail's values are short strings, so no sound template comes near it.
    /// </summary>
    internal const int MaxSteps = 100_000;

    /// <summary>How deep templates may nest when they run; the built-in ones nest a few levels.</summary>
    internal const int MaxRecursion = 20;

    private const string ResourcePrefix = "SystemMail.Templates.";
    private static readonly FluidParser Parser = new();
    private static readonly Assembly ResourceAssembly = typeof(MailTemplateRenderer).Assembly;
    private static readonly HashSet<string> BuiltInResources = [.. ResourceAssembly.GetManifestResourceNames()];

    private readonly ConcurrentDictionary<(SystemMailKind Kind, string Culture), CompiledMail> _cache = new();
    private readonly MailTemplateOptions _options;
    private readonly TemplateOptions _templateOptions = new() { MaxSteps = MaxSteps, MaxRecursion = MaxRecursion };

    public MailTemplateRenderer(IOptions<MailTemplateOptions> options)
    {
        _options = options.Value;
    }

    /// <exception cref="SystemMailException">A template ran past <see cref="MaxSteps"/> or <see cref="MaxRecursion"/>, or failed as it ran (kind <see cref="SystemMailErrorKind.Configuration"/>).</exception>
    public RenderedMail Render(SystemMailKind kind, CultureInfo culture, IReadOnlyDictionary<string, string> values)
    {
        var compiled = _cache.GetOrAdd((kind, culture.Name), key => Compile(key.Kind, culture));
        var context = new TemplateContext(_templateOptions) { CultureInfo = culture };
        foreach (var (name, value) in values)
        {
            context.SetValue(name, value);
        }

        var subject = OneLine(Run(compiled.Subject, context, NullEncoder.Default, kind, culture, "subject"));

        context.SetValue("subject", subject);
        context.SetValue("content", new StringValue(Run(compiled.Html, context, HtmlEncoder.Default, kind, culture, "HTML"), encode: false));
        var html = Run(compiled.HtmlLayout, context, HtmlEncoder.Default, kind, culture, "HTML layout");

        context.SetValue("content", new StringValue(Run(compiled.Text, context, NullEncoder.Default, kind, culture, "text").Trim(), encode: false));
        var text = Run(compiled.TextLayout, context, NullEncoder.Default, kind, culture, "text layout");

        return new RenderedMail(subject, html, text);
    }

    /// <summary>Parses a template, throwing with the parser's message when it is not valid Liquid.</summary>
    public static IFluidTemplate Parse(string source, string description)
    {
        if (!Parser.TryParse(source, out var template, out var error))
        {
            throw new FormatException($"The {description} template is not valid Liquid: {error}");
        }

        return template;
    }

    // Fluid stops a template at the limits with an InvalidOperationException; the mail fails naming the template.
    private static string Run(IFluidTemplate template, TemplateContext context, TextEncoder encoder, SystemMailKind kind, CultureInfo culture, string part)
    {
        try
        {
            return template.Render(context, encoder);
        }
        catch (InvalidOperationException ex)
        {
            var language = string.IsNullOrEmpty(culture.Name) ? "invariant culture" : culture.Name;
            throw new SystemMailException(
                SystemMailErrorKind.Configuration,
                $"The {kind} mail's {part} template ({language}) stopped: {ex.Message} A mail's templates may run at most " +
                $"{MaxSteps} steps and nest {MaxRecursion} levels deep; a loop that does not end is the usual cause.",
                Hints.MailTemplateFailed,
                innerException: ex);
        }
    }

    private static string OneLine(string subject)
    {
        // A subject must stay one header line: newlines from a template become spaces.
        return string.Join(' ', subject.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private CompiledMail Compile(SystemMailKind kind, CultureInfo culture)
    {
        var chain = CultureFallback.Chain(culture);
        var name = ResourceName(kind);
        return new CompiledMail(
            Subject: Parse(Find(kind, chain, static t => t.Subject, $"{name}.subject"), $"{kind} subject"),
            Html: Parse(Find(kind, chain, static t => t.Html, $"{name}.html"), $"{kind} HTML"),
            Text: Parse(Find(kind, chain, static t => t.Text, $"{name}.txt"), $"{kind} text"),
            HtmlLayout: Parse(FindBuiltIn(chain, "_layout.html"), "HTML layout"),
            TextLayout: Parse(FindBuiltIn(chain, "_layout.txt"), "text layout"));
    }

    private string Find(SystemMailKind kind, IReadOnlyList<string> chain, Func<MailTemplate, string?> part, string resource)
    {
        // "" in the chain is the host's override for every culture.
        foreach (var culture in chain)
        {
            if (_options.Overrides.TryGetValue((kind, culture), out var custom) && part(custom) is { } source)
            {
                return source;
            }
        }

        return FindBuiltIn(chain, resource);
    }

    private static string FindBuiltIn(IReadOnlyList<string> chain, string resource)
    {
        foreach (var culture in chain)
        {
            var name = $"{ResourcePrefix}{CultureFallback.LanguageOf(culture)}/{resource}.liquid";
            if (BuiltInResources.Contains(name))
            {
                using var stream = ResourceAssembly.GetManifestResourceStream(name)!;
                using var reader = new StreamReader(stream);
                return reader.ReadToEnd();
            }
        }

        throw new InvalidOperationException($"The built-in template '{resource}' is missing from the package.");
    }

    private static string ResourceName(SystemMailKind kind) => kind switch
    {
        SystemMailKind.Activation => "activation",
        SystemMailKind.AccountActivated => "account-activated",
        SystemMailKind.PasswordReset => "password-reset",
        SystemMailKind.PasswordWasReset => "password-was-reset",
        SystemMailKind.AccountLockedOut => "account-locked-out",
        SystemMailKind.VerificationCode => "verification-code",
        SystemMailKind.Test => "test",
        SystemMailKind.PasswordResetCode => "password-reset-code",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown mail kind."),
    };

    private sealed record CompiledMail(IFluidTemplate Subject, IFluidTemplate Html, IFluidTemplate Text, IFluidTemplate HtmlLayout, IFluidTemplate TextLayout);
}
