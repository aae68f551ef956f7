using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace SystemMail.Tests.Infrastructure.OAuth2;

public sealed partial class OAuth2TestServer
{
    /// <summary>The audience Google's service-account assertions name (Google.Apis.Auth sets it whatever the token URL).</summary>
    public const string GoogleTokenAudience = "https://oauth2.googleapis.com/token";

    /// <summary>
    /// RFC 7523 §2.1, as Google's token endpoint takes a service account's assertion: an RS256 JWT whose <c>iss</c> is a
    /// registered service account, checked against its public key, whose <c>aud</c> is this token endpoint (or Google's), unexpired,
    /// with a <c>scope</c> its domain-wide delegation allows and a <c>sub</c> mailbox of its domain.
    /// </summary>
    private Reply RedeemJwtBearer(string origin, string tokenEndpoint, string? tenant, IReadOnlyDictionary<string, string> p)
    {
        static Reply InvalidGrant(string description) => Reply.OAuthError(StatusCodes.Status400BadRequest, "invalid_grant", description);

        if (p.GetValueOrDefault("assertion") is not { } assertion || assertion.Split('.') is not [var header, var payload, var signature])
        {
            return Reply.OAuthError(StatusCodes.Status400BadRequest, "invalid_request", "Missing or malformed assertion.");
        }

        JsonElement head;
        JsonElement claims;
        try
        {
            head = JsonDocument.Parse(Base64Url.DecodeFromChars(header)).RootElement;
            claims = JsonDocument.Parse(Base64Url.DecodeFromChars(payload)).RootElement;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return InvalidGrant("The assertion is not a JWT.");
        }

        if (Claim(head, "alg") != "RS256")
        {
            return InvalidGrant("The assertion must be signed with RS256.");
        }

        if (Claim(claims, "iss") is not { } issuer || !_serviceAccounts.TryGetValue(issuer, out var account))
        {
            return Reply.OAuthError(StatusCodes.Status401Unauthorized, "invalid_client", "The assertion's issuer is not a registered service account.");
        }

        using (var key = account.PublicKey)
        {
            var signed = Encoding.ASCII.GetBytes($"{header}.{payload}");
            if (!key.VerifyData(signed, Base64Url.DecodeFromChars(signature), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            {
                return InvalidGrant("Invalid JWT Signature.");
            }
        }

        // Google names its token endpoint as the audience whatever URL the assertion is posted to; this endpoint too.
        if (Claim(claims, "aud") is not { } audience || (audience != tokenEndpoint && audience != GoogleTokenAudience))
        {
            return InvalidGrant($"Invalid JWT: the audience must be {tokenEndpoint}, not {Claim(claims, "aud")}.");
        }

        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        if (!claims.TryGetProperty("exp", out var exp) || !claims.TryGetProperty("iat", out var iat) ||
            exp.GetInt64() <= now || iat.GetInt64() > now + 60 || exp.GetInt64() - iat.GetInt64() > 3600)
        {
            return InvalidGrant("Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.");
        }

        var scopes = (Claim(claims, "scope") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (scopes.Length == 0 || scopes.Any(s => !account.DelegatedScopes.Contains(s, StringComparer.Ordinal)))
        {
            return Reply.OAuthError(StatusCodes.Status401Unauthorized, "unauthorized_client", "Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.");
        }

        if (Claim(claims, "sub") is not { } mailbox || !mailbox.EndsWith("@" + account.Domain, StringComparison.OrdinalIgnoreCase))
        {
            return InvalidGrant("Invalid email or User ID");
        }

        var user = User with { Username = mailbox, Subject = mailbox };
        return IssueTokens(origin, new OAuth2TestClient(account.ClientEmail, ""), OAuth2GrantTypes.JwtBearer, string.Join(' ', scopes), tenant, user, nonce: null, refreshTokenScope: null, clientInfo: false);
    }

    private static string? Claim(JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
