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
/// cached; a template an administrator saved is looked up first, then the host's overrides, then the built-ins, along
/// <see cref="CultureFallback.Chain"/> (the culture, its parents, then English), the rule the hints follow too.
/// </summary>
/// <remarks>
/// <para>A host's template is code that runs on every mail: <see cref="MaxSteps"/>, <see cref="MaxRecursion"/> and
/// <see cref="MaxOutputLength"/> stop one that would loop without end or write without end, and its mail fails at once
/// with an error naming the template.</para>
/// <para>A saved template that fails as it runs (it was checked with sample values when it was saved, but a mail's
/// values differ) never costs the mail: the mail is rendered again with the host's or the built-in template, and
/// <see cref="TemplateFallbacks"/> logs it, counts it and degrades the health check.</para>
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

    /// <summary>
    /// The most characters one template part (subject, HTML or text) may write. The built-in ones write a few thousand;
    /// this stops a loop that writes without end long before the server's size limit would.
    /// </summary>
    internal const int MaxOutputLength = 100_000;

    /// <summary>The layouts hold a part and the product's footer: room for both.</summary>
    private const int LayoutOutputLength = 2 * MaxOutputLength;

    private const string ResourcePrefix = "SystemMail.Templates.";
    internal static readonly FluidParser Parser = new();
    private static readonly Assembly ResourceAssembly = typeof(MailTemplateRenderer).Assembly;
    private static readonly HashSet<string> BuiltInResources = [.. ResourceAssembly.GetManifestResourceNames()];

    /// <summary>The cultures that have built-in templates, English first.</summary>
    internal static readonly IReadOnlyList<string> BuiltInLanguages =
    [
        .. BuiltInResources
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.IndexOf('/', StringComparison.Ordinal) > ResourcePrefix.Length)
            .Select(n => n[ResourcePrefix.Length..n.IndexOf('/', StringComparison.Ordinal)])
            .Distinct(StringComparer.Ordinal)
            .OrderBy(n => n == CultureFallback.NeutralLanguage ? 0 : 1)
            .ThenBy(n => n, StringComparer.Ordinal),
    ];

    private readonly ConcurrentDictionary<(SystemMailKind Kind, string Culture), CompiledMail> _cache = new();
    private readonly MailTemplateOptions _options;
    private readonly ISavedTemplateSource _saved;
    private readonly TemplateFallbacks? _fallbacks;
    private readonly TemplateOptions _templateOptions = new() { MaxSteps = MaxSteps, MaxRecursion = MaxRecursion };
    private SavedCache _savedCache = new(SavedMailTemplates.Empty);

    public MailTemplateRenderer(IOptions<MailTemplateOptions> options, ISavedTemplateSource? saved = null, TemplateFallbacks? fallbacks = null)
    {
        _options = options.Value;
        _saved = saved ?? NoSavedTemplates.Instance;
        _fallbacks = fallbacks;
    }

    /// <summary>Renders a mail with the saved template that applies to it, else the host's or the built-in one.</summary>
    /// <exception cref="SystemMailException">A host's or built-in template ran past <see cref="MaxSteps"/>, <see cref="MaxRecursion"/> or <see cref="MaxOutputLength"/>, or failed as it ran (kind <see cref="SystemMailErrorKind.Configuration"/>).</exception>
    public RenderedMail Render(SystemMailKind kind, CultureInfo culture, IReadOnlyDictionary<string, string> values)
    {
        var compiled = Defaults(kind, culture);
        var snapshot = _saved.Current;
        if (!snapshot.IsEmpty && snapshot.Find(kind, CultureFallback.Chain(culture)) is { } saved)
        {
            try
            {
                var parts = PartsOf(snapshot, saved);
                return Render(kind, culture, values, parts.Subject, parts.Html, parts.Text, compiled);
            }
#pragma warning disable CA1031 // Whatever an administrator's template did, the mail goes out with the built-in text.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _fallbacks?.Report(saved, ex is SystemMailException { InnerException: { } inner } ? inner : ex);
            }
        }

        return Render(kind, culture, values, compiled.Subject, compiled.Html, compiled.Text, compiled);
    }

    /// <summary>
    /// Renders a mail with <paramref name="candidate"/>'s parts (the host's or built-in ones where a part is
    /// <see langword="null"/>), with no fallback: for a preview or a test of a template being edited.
    /// </summary>
    /// <exception cref="FormatException">A part is not valid Liquid.</exception>
    /// <exception cref="SystemMailException">A part failed as it ran.</exception>
    public RenderedMail RenderCandidate(SystemMailKind kind, CultureInfo culture, IReadOnlyDictionary<string, string> values, MailTemplate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var compiled = Defaults(kind, culture);
        return Render(
            kind,
            culture,
            values,
            candidate.Subject is { } subject ? Parse(subject, $"{kind} subject") : compiled.Subject,
            candidate.Html is { } html ? Parse(html, $"{kind} HTML") : compiled.Html,
            candidate.Text is { } text ? Parse(text, $"{kind} text") : compiled.Text,
            compiled);
    }

    /// <summary>Gets the template that applies to the mail when no template is saved: the host's, else the built-in one.</summary>
    public MailTemplate Default(SystemMailKind kind, CultureInfo culture)
    {
        var chain = CultureFallback.Chain(culture);
        var name = ResourceName(kind);
        return new MailTemplate
        {
            Subject = Find(kind, chain, static t => t.Subject, $"{name}.subject"),
            Html = Find(kind, chain, static t => t.Html, $"{name}.html"),
            Text = Find(kind, chain, static t => t.Text, $"{name}.txt"),
        };
    }

    /// <summary>Makes a context for one mail's templates, with the limits and the mail's values.</summary>
    internal TemplateContext NewContext(CultureInfo culture, IReadOnlyDictionary<string, string> values)
    {
        var context = new TemplateContext(_templateOptions) { CultureInfo = culture };
        foreach (var (name, value) in values)
        {
            context.SetValue(name, value);
        }

        return context;
    }

    /// <summary>Runs one part within <see cref="MaxOutputLength"/>; Fluid's own limits throw <see cref="InvalidOperationException"/> too.</summary>
    /// <exception cref="InvalidOperationException">The part ran past a limit.</exception>
    internal static string RunPart(IFluidTemplate template, TemplateContext context, TextEncoder encoder, int limit = MaxOutputLength)
    {
        using var writer = new LimitedStringWriter(limit);
        // Fluid's templates run synchronously unless a value is asynchronous, which a mail's string values never are.
        var run = template.RenderAsync(writer, encoder, context);
        if (!run.IsCompletedSuccessfully)
        {
            run.AsTask().GetAwaiter().GetResult();
        }

        return writer.ToString();
    }

    private RenderedMail Render(SystemMailKind kind, CultureInfo culture, IReadOnlyDictionary<string, string> values, IFluidTemplate subjectTemplate, IFluidTemplate htmlTemplate, IFluidTemplate textTemplate, CompiledMail compiled)
    {
        var context = NewContext(culture, values);
        var subject = OneLine(Run(subjectTemplate, context, NullEncoder.Default, kind, culture, "subject"));

        context.SetValue("subject", subject);
        context.SetValue("content", new StringValue(Run(htmlTemplate, context, HtmlEncoder.Default, kind, culture, "HTML"), encode: false));
        var html = Run(compiled.HtmlLayout, context, HtmlEncoder.Default, kind, culture, "HTML layout", LayoutOutputLength);

        context.SetValue("content", new StringValue(Run(textTemplate, context, NullEncoder.Default, kind, culture, "text").Trim(), encode: false));
        var text = Run(compiled.TextLayout, context, NullEncoder.Default, kind, culture, "text layout", LayoutOutputLength);

        return new RenderedMail(subject, html, text);
    }

    private CompiledMail Defaults(SystemMailKind kind, CultureInfo culture) =>
        _cache.GetOrAdd((kind, culture.Name), static (key, state) => state.Renderer.Compile(key.Kind, state.Culture), (Renderer: this, Culture: culture));

    /// <summary>The saved template's parts, parsed once per version; the cache starts over with each new snapshot.</summary>
    private SavedParts PartsOf(SavedMailTemplates snapshot, SavedMailTemplate saved)
    {
        var cache = Volatile.Read(ref _savedCache);
        if (!ReferenceEquals(cache.Snapshot, snapshot))
        {
            cache = new SavedCache(snapshot);
            Volatile.Write(ref _savedCache, cache);
        }

        return cache.Parts.GetOrAdd((saved.Kind, saved.Culture), static (_, t) => new SavedParts(
            Parse(t.Subject, $"saved {t.Kind} subject ({t.Culture})"),
            Parse(t.Html, $"saved {t.Kind} HTML ({t.Culture})"),
            Parse(t.Text, $"saved {t.Kind} text ({t.Culture})")), saved);
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
    private static string Run(IFluidTemplate template, TemplateContext context, TextEncoder encoder, SystemMailKind kind, CultureInfo culture, string part, int limit = MaxOutputLength)
    {
        try
        {
            return RunPart(template, context, encoder, limit);
        }
        catch (InvalidOperationException ex)
        {
            var language = string.IsNullOrEmpty(culture.Name) ? "invariant culture" : culture.Name;
            throw new SystemMailException(
                SystemMailErrorKind.Configuration,
                $"The {kind} mail's {part} template ({language}) stopped: {ex.Message} A mail's templates may run at most " +
                $"{MaxSteps} steps, nest {MaxRecursion} levels deep and write {MaxOutputLength} characters a part; a loop that does not end is the usual cause.",
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
        var source = Default(kind, culture);
        return new CompiledMail(
            Subject: Parse(source.Subject!, $"{kind} subject"),
            Html: Parse(source.Html!, $"{kind} HTML"),
            Text: Parse(source.Text!, $"{kind} text"),
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

    private sealed record SavedParts(IFluidTemplate Subject, IFluidTemplate Html, IFluidTemplate Text);

    private sealed record SavedCache(SavedMailTemplates Snapshot)
    {
        public ConcurrentDictionary<(SystemMailKind Kind, string Culture), SavedParts> Parts { get; } = new();
    }

    private sealed record CompiledMail(IFluidTemplate Subject, IFluidTemplate Html, IFluidTemplate Text, IFluidTemplate HtmlLayout, IFluidTemplate TextLayout);
}
