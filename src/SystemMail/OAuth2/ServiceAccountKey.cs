using System.Security.Cryptography;
using System.Text.Json;

namespace SystemMail;

/// <summary>
/// The parts of a Google service account key file that SystemMail uses: the account (<c>client_email</c>), the RSA
/// private key and its id. The file's <c>token_uri</c> is ignored: the signed assertion goes only to the provider
/// template's token endpoint, the destination the key was saved for.
/// </summary>
internal sealed class ServiceAccountKey
{
    private ServiceAccountKey(string clientEmail, string privateKey, string? privateKeyId)
    {
        ClientEmail = clientEmail;
        PrivateKey = privateKey;
        PrivateKeyId = privateKeyId;
    }

    public string ClientEmail { get; }

    /// <summary>Gets the PEM private key. Never logged.</summary>
    public string PrivateKey { get; }

    public string? PrivateKeyId { get; }

    /// <summary>Returns the account alone, never the key.</summary>
    public override string ToString() => $"ServiceAccountKey {{ ClientEmail = {ClientEmail} }}";

    /// <summary>Reads a key file; <paramref name="problem"/> says what is wrong without repeating any of it.</summary>
    public static bool TryParse(string? json, out ServiceAccountKey? key, out ValidationMessage? problem)
    {
        key = null;
        problem = null;
        if (string.IsNullOrWhiteSpace(json))
        {
            problem = new("ServiceAccountKeyRequired");
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || String(root, "type") != "service_account")
            {
                problem = new("ServiceAccountKeyWrongType");
                return false;
            }

            if (String(root, "client_email") is not { Length: > 0 } email || String(root, "private_key") is not { Length: > 0 } pem)
            {
                problem = new("ServiceAccountKeyIncomplete");
                return false;
            }

            using (var rsa = RSA.Create())
            {
                rsa.ImportFromPem(pem);
            }

            key = new ServiceAccountKey(email.Trim(), pem, String(root, "private_key_id"));
            return true;
        }
        catch (JsonException)
        {
            problem = new("ServiceAccountKeyNotJson");
            return false;
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            problem = new("ServiceAccountKeyNotRsa");
            return false;
        }
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
