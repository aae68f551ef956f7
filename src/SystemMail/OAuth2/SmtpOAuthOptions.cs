using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace SystemMail;

/// <summary>OAuth2 settings: the app registration at the provider and, for <c>custom</c>, its endpoints and scopes.</summary>
public sealed class SmtpOAuthOptions
{
    /// <summary>Gets or sets the flow. Defaults to <see cref="OAuthFlow.AuthorizationCode"/>.</summary>
    public OAuthFlow Flow { get; set; } = OAuthFlow.AuthorizationCode;

    /// <summary>Gets or sets the client (application) id from the provider's console.</summary>
    public string? ClientId { get; set; }

    /// <summary>Gets or sets the client secret. Never logged, shown or serialized to JSON.</summary>
    [JsonIgnore]
    public string? ClientSecret { get; set; }

    /// <summary>
    /// Gets or sets the Google service account's key, the JSON file downloaded from the Google Cloud console
    /// (<c>"type": "service_account"</c>, with <c>client_email</c> and <c>private_key</c>), for <see cref="OAuthFlow.ServiceAccount"/>.
    /// A secret like the client secret: never logged, shown or serialized to JSON.
    /// </summary>
    [JsonIgnore]
    public string? ServiceAccountKey { get; set; }

    /// <summary>Gets or sets the directory (tenant) id, for providers whose endpoints contain <c>{tenant}</c> (Office 365).</summary>
    public string? TenantId { get; set; }

    /// <summary>Gets or sets the authorization endpoint (<c>custom</c> provider only).</summary>
    public Uri? AuthorizationEndpoint { get; set; }

    /// <summary>Gets or sets the token endpoint (<c>custom</c> provider only).</summary>
    public Uri? TokenEndpoint { get; set; }

    /// <summary>Gets or sets the scopes (<c>custom</c> provider only; templates bring their own).</summary>
    public IList<string> Scopes { get; set; } = [];

    /// <summary>
    /// Gets or sets extra query parameters for the authorization URL, added to (or replacing) the template's, such as
    /// Google's <c>hd</c> (hosted domain) or a custom server's <c>audience</c>. The parameters of the protocol itself
    /// (<c>response_type</c>, <c>response_mode</c>, <c>client_id</c>, <c>redirect_uri</c>, <c>state</c>,
    /// <c>code_challenge</c>, <c>code_challenge_method</c>, <c>scope</c>) are SystemMail's and refused here.
    /// </summary>
    public IDictionary<string, string> AuthorizationParameters { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Gets or sets whether the authorization URL carries <c>login_hint</c> with <see cref="SystemMailOptions.Username"/>,
    /// so the provider's sign-in page starts with the mailbox to consent for. The Google and Office 365 templates always
    /// send it; for <c>custom</c> (and a host's templates) set it where the server takes it. Defaults to <see langword="false"/>.
    /// </summary>
    public bool SendLoginHint { get; set; }

    /// <summary>
    /// Gets or sets the redirect URI: where the host's OAuth2 callback lives (base URL + path). It is shown to the
    /// administrator to copy into the provider's console, and required for <see cref="OAuthFlow.AuthorizationCode"/>.
    /// </summary>
    public Uri? RedirectUri { get; set; }

    /// <summary>Gets or sets how long before expiry the access token is refreshed, at most 30 minutes. Defaults to 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:30:00")]
    public TimeSpan RefreshMargin { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Gets or sets how long the access token in memory is used before the token store is read again, at most
    /// 10 minutes. Defaults to 10 seconds. Tokens cleared or refused on another instance of a farm stop this one's mail,
    /// pooled connections included, within this time; <see cref="TimeSpan.Zero"/> reads the store before every mail.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan StoreCheckInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets how long an authorization URL stays usable, from 1 to 60 minutes. Defaults to 10 minutes.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "01:00:00")]
    public TimeSpan AuthorizationLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Returns a description that never contains the client secret or the service account key.</summary>
    /// <returns>The flow, client id and tenant; the secrets appear only as "set" or "not set".</returns>
    public override string ToString() =>
        $"OAuth2 {{ Flow = {Flow}, ClientId = {ClientId}, TenantId = {TenantId}, ClientSecret = {(string.IsNullOrEmpty(ClientSecret) ? "not set" : "set")}" +
        $"{(string.IsNullOrEmpty(ServiceAccountKey) ? string.Empty : ", ServiceAccountKey = set")} }}";
}
