using System.Text.Json;
using System.Text.Json.Serialization;

namespace SystemMail;

/// <summary>
/// The saved templates as they are stored: one JSON record for all of them, so an instance reads them in one request.
/// Templates are not secret and are stored as they are (no Data Protection), readable in the host's database.
/// </summary>
internal static class SavedTemplatesSerializer
{
    public static byte[] Serialize(SavedMailTemplates templates)
    {
        var record = new StoredTemplatesRecord
        {
            Revision = templates.Revision,
            Templates =
            [
                .. templates.All.OrderBy(t => t.Kind).ThenBy(t => t.Culture, StringComparer.Ordinal).Select(t => new StoredTemplate
                {
                    Kind = t.Kind,
                    Culture = t.Culture,
                    Subject = t.Subject,
                    Html = t.Html,
                    Text = t.Text,
                    Revision = long.Parse(t.Version, System.Globalization.CultureInfo.InvariantCulture),
                    UpdatedBy = t.UpdatedBy,
                    UpdatedAt = t.UpdatedAt,
                }),
            ],
        };
        return JsonSerializer.SerializeToUtf8Bytes(record, SavedTemplatesJsonContext.Default.StoredTemplatesRecord);
    }

    /// <summary>Reads the stored record; <see langword="null"/> when the bytes are not one (damaged, or written by something else).</summary>
    public static SavedMailTemplates? Deserialize(ReadOnlyMemory<byte> bytes, string storeVersion)
    {
        StoredTemplatesRecord? record;
        try
        {
            record = JsonSerializer.Deserialize(bytes.Span, SavedTemplatesJsonContext.Default.StoredTemplatesRecord);
        }
        catch (JsonException)
        {
            return null;
        }

        if (record is null || record.Templates.Any(t => t.Subject is null || t.Html is null || t.Text is null || string.IsNullOrEmpty(t.Culture) || !Enum.IsDefined(t.Kind)))
        {
            return null;
        }

        return new SavedMailTemplates(
            record.Templates.Select(t => new SavedMailTemplate(
                t.Kind,
                t.Culture!,
                t.Subject!,
                t.Html!,
                t.Text!,
                t.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture),
                t.UpdatedBy,
                t.UpdatedAt)),
            record.Revision,
            storeVersion);
    }

    internal sealed class StoredTemplatesRecord
    {
        public long Revision { get; set; }

        public List<StoredTemplate> Templates { get; set; } = [];
    }

    internal sealed class StoredTemplate
    {
        public SystemMailKind Kind { get; set; }

        public string? Culture { get; set; }

        public string? Subject { get; set; }

        public string? Html { get; set; }

        public string? Text { get; set; }

        public long Revision { get; set; }

        public string? UpdatedBy { get; set; }

        public DateTimeOffset UpdatedAt { get; set; }
    }
}

[JsonSourceGenerationOptions(UseStringEnumConverter = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SavedTemplatesSerializer.StoredTemplatesRecord))]
internal sealed partial class SavedTemplatesJsonContext : JsonSerializerContext;
