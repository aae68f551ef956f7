using System.Text.Json.Serialization;

namespace SystemMail.AspNetCore;

[JsonSourceGenerationOptions(UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StoredMailSettings))]
internal sealed partial class SettingsJsonContext : JsonSerializerContext;
