using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using Fluid;
using Fluid.Parser;

namespace SystemMail;

/// <summary>
/// Checks a template an administrator wants to save, so that a mistake is refused with its line and column rather than
/// found by a user who never got the mail: Liquid syntax, variables the mail does not have, the link or code the mail
/// exists for, the render limits with sample values, and elements that mail clients drop (scripts, frames).
/// </summary>
internal static partial class MailTemplateValidator
{
    /// <summary>The longest source a part may have.</summary>
    internal const int MaxSourceLength = 100_000;

    /// <summary>Validates <paramref name="template"/> (all three parts) for <paramref name="kind"/> with sample <paramref name="values"/>.</summary>
    public static IReadOnlyList<TemplateProblem> Validate(MailTemplateRenderer renderer, SystemMailKind kind, CultureInfo culture, MailTemplate template, IReadOnlyDictionary<string, string> values)
    {
        var problems = new List<TemplateProblem>();
        var subject = Check("subject", template.Subject, kind, problems);
        var html = Check("html", template.Html, kind, problems);
        var text = Check("text", template.Text, kind, problems);
        if (html is not null)
        {
            foreach (Match refused in RefusedHtml().Matches(template.Html!))
            {
                var (line, column) = Position(template.Html!, refused.Index);
                problems.Add(new("html", line, column, new("TemplateElementNotAllowed", refused.Value.Trim())));
            }
        }

        if (problems.Count > 0 || subject is null || html is null || text is null)
        {
            return problems;
        }

        // Run with sample values under the limits every mail has; the parts one by one, each in a context of its own (a
        // part stopped at a limit leaves its context spent), so a failure names its part.
        var renderedSubject = Run("subject", subject, renderer.NewContext(culture, values), NullEncoder.Default, problems);
        var renderedHtml = Run("html", html, BodyContext(), HtmlEncoder.Default, problems);
        var renderedText = Run("text", text, BodyContext(), NullEncoder.Default, problems);

        TemplateContext BodyContext()
        {
            var context = renderer.NewContext(culture, values);
            context.SetValue("subject", renderedSubject ?? string.Empty);
            return context;
        }

        if (renderedSubject is not null && string.IsNullOrWhiteSpace(renderedSubject))
        {
            problems.Add(new("subject", null, null, new("TemplateSubjectEmpty")));
        }

        if (MailVariables.Required(kind) is { } required && values.TryGetValue(required, out var sample))
        {
            if (renderedHtml is not null && !renderedHtml.Contains(sample, StringComparison.Ordinal) && !renderedHtml.Contains(HtmlEncoder.Default.Encode(sample), StringComparison.Ordinal))
            {
                problems.Add(MissingRequired("html", required));
            }

            if (renderedText is not null && !renderedText.Contains(sample, StringComparison.Ordinal))
            {
                problems.Add(MissingRequired("text", required));
            }
        }

        return problems;
    }

    private static TemplateProblem MissingRequired(string part, string variable) =>
        new(part, null, null, new(part == "html" ? "TemplateHtmlMissesRequired" : "TemplateTextMissesRequired", variable));

    private static IFluidTemplate? Check(string part, string? source, SystemMailKind kind, List<TemplateProblem> problems)
    {
        if (string.IsNullOrWhiteSpace(source))
        {
            problems.Add(new(part, null, null, new("TemplatePartRequired")));
            return null;
        }

        if (source.Length > MaxSourceLength)
        {
            problems.Add(new(part, null, null, new("TemplatePartTooLong", source.Length, MaxSourceLength)));
            return null;
        }

        if (!MailTemplateRenderer.Parser.TryParse(source, out var template, out var error))
        {
            problems.Add(SyntaxProblem(part, source, error));
            return null;
        }

        var known = MailVariables.Known(kind, isSubject: part == "subject");
        foreach (var variable in TemplateVariableCollector.FreeVariables(template).Where(v => !known.Contains(v)))
        {
            var (line, column) = FindVariable(source, variable);
            problems.Add(new(part, line, column, new("TemplateUnknownVariable", variable, kind, string.Join(", ", known.Order(StringComparer.Ordinal)))));
        }

        return template;
    }

    /// <summary>Where the parser stopped, from Parlot's error; Fluid's message carries it too, as "at (line:column)".</summary>
    private static TemplateProblem SyntaxProblem(string part, string source, string? fallbackMessage)
    {
        if (!MailTemplateRenderer.Parser.Grammar.TryParse(new FluidParseContext(source), out _, out var error) && error is not null)
        {
            return new(part, error.Position.Line, error.Position.Column, new("TemplateSyntaxError", error.Message + "."));
        }

        var message = fallbackMessage ?? "the template is not valid Liquid";
        var at = ParserPosition().Match(message);
        return at.Success
            ? new(part, int.Parse(at.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(at.Groups[2].Value, CultureInfo.InvariantCulture), new("TemplateSyntaxError", message[..at.Index].Trim() + "."))
            : new(part, null, null, new("TemplateSyntaxError", message.Split('\n')[0]));
    }

    private static string? Run(string part, IFluidTemplate template, TemplateContext context, System.Text.Encodings.Web.TextEncoder encoder, List<TemplateProblem> problems)
    {
        try
        {
            return MailTemplateRenderer.RunPart(template, context, encoder);
        }
#pragma warning disable CA1031 // Any failure of the administrator's template is reported, none escapes.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            problems.Add(new(part, null, null, new(
                "TemplateRenderStops", ex.Message, MailTemplateRenderer.MaxSteps, MailTemplateRenderer.MaxRecursion, MailTemplateRenderer.MaxOutputLength)));
            return null;
        }
    }

    /// <summary>The first place <paramref name="variable"/> is read inside a Liquid tag or output.</summary>
    private static (int? Line, int? Column) FindVariable(string source, string variable)
    {
        var word = new Regex($@"(?<![\w.""'-]){Regex.Escape(variable)}(?![\w-])", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        foreach (Match tag in LiquidTag().Matches(source))
        {
            if (word.Match(source, tag.Index, tag.Length) is { Success: true } found)
            {
                return Position(source, found.Index);
            }
        }

        return (null, null);
    }

    /// <summary>The line and column (from 1) of an offset.</summary>
    internal static (int Line, int Column) Position(string source, int offset)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset && i < source.Length; i++)
        {
            if (source[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, offset - lineStart + 1);
    }

    [GeneratedRegex(@"\{\{.*?\}\}|\{%.*?%\}", RegexOptions.Singleline | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex LiquidTag();

    [GeneratedRegex(@"<\s*(script|iframe|frame|object|embed)\b|javascript\s*:", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex RefusedHtml();

    [GeneratedRegex(@"at \((\d+):(\d+)\)", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex ParserPosition();
}
