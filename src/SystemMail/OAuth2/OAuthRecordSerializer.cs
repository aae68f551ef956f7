using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.DataProtection;

namespace SystemMail;

/// <summary>
/// Turns token records into bytes for the store: JSON, protected with Data Protection. Clear JSON only in the in-memory
/// store without Data Protection; a persistent store without it is refused (<see cref="StoreProtection"/>).
/// </summary>
internal sealed class OAuthRecordSerializer
{
    private readonly IDataProtector? _protector;

    /// <exception cref="InvalidOperationException"><paramref name="store"/> is persistent and <paramref name="dataProtection"/> is missing.</exception>
    public OAuthRecordSerializer(IDataProtectionProvider? dataProtection, IOAuthTokenStore store)
    {
        _protector = StoreProtection.CreateProtector(dataProtection, store, StoreProtection.TokensPurpose);
    }

    public byte[] Serialize<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
        return _protector is null ? json : _protector.Protect(json);
    }

    public T? Deserialize<T>(ReadOnlyMemory<byte> bytes, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        try
        {
            var json = _protector is null ? bytes.ToArray() : _protector.Unprotect(bytes.ToArray());
            return JsonSerializer.Deserialize(json, typeInfo);
        }
        catch (Exception ex) when (ex is JsonException or System.Security.Cryptography.CryptographicException)
        {
            // Unreadable (keys rotated away, another format): treated as no tokens, which asks for a new consent.
            return null;
        }
    }
}
