using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace SystemMail.Tests.Infrastructure.OAuth2;

/// <summary>RFC 7636 helpers: a verifier and its S256 challenge.</summary>
public static class Pkce
{
    /// <summary>A 43-character verifier from 32 random bytes (the RFC 7636 §4.1 minimum length).</summary>
    public static string CreateVerifier() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary><c>BASE64URL(SHA256(ASCII(verifier)))</c>.</summary>
    public static string CreateS256Challenge(string verifier)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        return Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
    }
}
