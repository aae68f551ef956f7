using System.Text.Json.Serialization;

namespace SystemMail.AspNetCore;

// The JSON of the template endpoints. Internal like the settings' contracts: the contract is the JSON, documented in the
// package readme, serialized with TemplateJsonContext whatever JSON options the host set.

/// <summary>Every mail kind × culture, and whether an administrator saved a template for it.</summary>
internal sealed class TemplateListDocument
{
    /// <summary>The cultures with built-in templates, then those with saved ones.</summary>
    public List<string> Cultures { get; set; } = [];

    public List<TemplateSummaryDocument> Templates { get; set; } = [];
}

internal sealed class TemplateSummaryDocument
{
    public SystemMailKind Kind { get; set; }

    public string Culture { get; set; } = string.Empty;

    public bool Overridden { get; set; }

    public string? Version { get; set; }

    public string? UpdatedBy { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }
}

/// <summary>One template: the built-in one (with the host's own texts), the saved one if any, and the one in use.</summary>
internal sealed class TemplateDocument
{
    public SystemMailKind Kind { get; set; }

    public string Culture { get; set; } = string.Empty;

    /// <summary>The variables the templates may use.</summary>
    public List<string> Variables { get; set; } = [];

    /// <summary>The variable the HTML and the text must show (the link or the code), or null.</summary>
    public string? RequiredVariable { get; set; }

    public TemplatePartsDocument BuiltIn { get; set; } = new();

    public TemplatePartsDocument? Saved { get; set; }

    public TemplatePartsDocument Current { get; set; } = new();

    /// <summary>The saved template's version, to send back with a save; null when none is saved.</summary>
    public string? Version { get; set; }

    public string? UpdatedBy { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }
}

internal sealed class TemplatePartsDocument
{
    public string? Subject { get; set; }

    public string? Html { get; set; }

    public string? Text { get; set; }
}

/// <summary>A template to save: all three parts, and the version it was edited from (null when none was saved).</summary>
internal sealed class TemplateInput
{
    public string? Subject { get; set; }

    public string? Html { get; set; }

    public string? Text { get; set; }

    public string? Version { get; set; }
}

/// <summary>A template to preview or test: the parts given (unsaved), or the one in use when all are left out.</summary>
internal sealed class TemplateTrialInput
{
    public string? Subject { get; set; }

    public string? Html { get; set; }

    public string? Text { get; set; }

    /// <summary>For a test send: the address; the signed-in administrator's when left out.</summary>
    public string? To { get; set; }
}

/// <summary>A mail rendered with sample values. The HTML is a whole document, for a sandboxed frame.</summary>
internal sealed class TemplatePreviewDocument
{
    public string Subject { get; set; } = string.Empty;

    public string Html { get; set; } = string.Empty;

    public string Text { get; set; } = string.Empty;
}

internal sealed class TemplateTestDocument
{
    public string To { get; set; } = string.Empty;

    public string MessageId { get; set; } = string.Empty;

    public string Reply { get; set; } = string.Empty;
}

/// <summary>A 400 answer: the errors by part, as a validation problem has them, and each with its line and column.</summary>
internal sealed class TemplateProblemDocument
{
    public string Type { get; set; } = "https://tools.ietf.org/html/rfc9110#section-15.5.1";

    public string Title { get; set; } = "The template is not valid.";

    public int Status { get; set; } = 400;

    public Dictionary<string, string[]> Errors { get; set; } = [];

    public List<TemplateProblemItem> Problems { get; set; } = [];
}

internal sealed class TemplateProblemItem
{
    public string Part { get; set; } = string.Empty;

    public int? Line { get; set; }

    public int? Column { get; set; }

    public string Message { get; set; } = string.Empty;
}

[JsonSourceGenerationOptions(
    System.Text.Json.JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TemplateListDocument))]
[JsonSerializable(typeof(TemplateDocument))]
[JsonSerializable(typeof(TemplateInput))]
[JsonSerializable(typeof(TemplateTrialInput))]
[JsonSerializable(typeof(TemplatePreviewDocument))]
[JsonSerializable(typeof(TemplateTestDocument))]
[JsonSerializable(typeof(TemplateProblemDocument))]
internal sealed partial class TemplateJsonContext : JsonSerializerContext;
