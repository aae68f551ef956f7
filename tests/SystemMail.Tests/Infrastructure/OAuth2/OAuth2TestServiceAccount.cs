using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace SystemMail.Tests.Infrastructure.OAuth2;

/// <summary>
/// A Google-style service account registered with the test authorization server: its RSA key pair, the scopes its
/// domain-wide delegation allows and the domain whose mailboxes it may impersonate.
/// </summary>
public sealed class OAuth2TestServiceAccount : IDisposable
{
    private readonly RSA _key;

    private OAuth2TestServiceAccount(string clientEmail, string domain, IReadOnlyList<string> delegatedScopes)
    {
        ClientEmail = clientEmail;
        Domain = domain;
        DelegatedScopes = delegatedScopes;
        _key = RSA.Create(2048);
        PrivateKeyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
    }

    /// <summary>The account, the <c>iss</c> of its assertions.</summary>
    public string ClientEmail { get; }

    /// <summary>The domain whose mailboxes (<c>sub</c>) it may impersonate.</summary>
    public string Domain { get; }

    /// <summary>The scopes an administrator allowed its client ID (domain-wide delegation).</summary>
    public IReadOnlyList<string> DelegatedScopes { get; }

    public string PrivateKeyId { get; }

    /// <summary>The public key the server checks assertions with.</summary>
    public RSA PublicKey => RSA.Create(_key.ExportParameters(includePrivateParameters: false));

    /// <summary>A service account of <c>contoso.test</c> allowed <c>https://mail.google.com/</c>.</summary>
    public static OAuth2TestServiceAccount Create(
        string clientEmail = "mailer@systemmail-test.iam.gserviceaccount.com",
        string domain = "contoso.test",
        IReadOnlyList<string>? delegatedScopes = null) =>
        new(clientEmail, domain, delegatedScopes ?? ["https://mail.google.com/"]);

    /// <summary>The JSON key file as the Google Cloud console gives it; its <c>token_uri</c> is Google's, which SystemMail must ignore.</summary>
    public string KeyJson(string tokenUri = "https://oauth2.googleapis.com/token") => new JsonObject
    {
        ["type"] = "service_account",
        ["project_id"] = "systemmail-test",
        ["private_key_id"] = PrivateKeyId,
        ["private_key"] = _key.ExportPkcs8PrivateKeyPem() + "\n",
        ["client_email"] = ClientEmail,
        ["client_id"] = "104729350861234567890",
        ["auth_uri"] = "https://accounts.google.com/o/oauth2/auth",
        ["token_uri"] = tokenUri,
    }.ToJsonString();

    public void Dispose() => _key.Dispose();
}
