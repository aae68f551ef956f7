using System.Text.Json.Serialization;

namespace SystemMail.AspNetCore;

/// <summary>The page's strings, read from the embedded JSON and written into the page for its script.</summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
internal sealed partial class PageJsonContext : JsonSerializerContext;
