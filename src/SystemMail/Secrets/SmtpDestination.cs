using System.Security.Cryptography;
using System.Text;

namespace SystemMail;

/// <summary>
/// Where a secret goes: the one definition behind every rule that keeps a password, client secret, proxy password or
/// OAuth2 token to what it was saved for. The token fingerprint, the reuse of a stored secret by an unsaved test, the
/// keeping of a stored secret on save and the discarding of tokens all compare two destinations, and nothing else.
/// </summary>
/// <remarks>
/// <para>The parts: provider, SMTP host, port and security (for Microsoft Graph: the transport and the Graph base
/// URL, whose host, port and scheme they are), the proxy (type, host, port, user name), the SMTP user
/// name, and with OAuth2 the client (flow, client ID, tenant, authorization and token endpoints, scopes, redirect
/// URI). Changing any part means a stored secret must be entered again and the tokens are discarded.</para>
/// <para>One comparison rule for all parts: names (provider, hosts, user names, client ID, tenant) are trimmed and
/// compared without regard to case; URIs by their absolute form; scopes as a set; numbers and enums exactly.</para>
/// <para>Values are the effective ones (a template's host, port and security, its fixed user name, its endpoints with
/// the tenant filled in), so two settings that send to the same place are the same destination.</para>
/// </remarks>
internal sealed class SmtpDestination : IEquatable<SmtpDestination>
{
    private readonly SortedDictionary<string, string> _parts;

    private SmtpDestination(SystemMailOptions options, ISmtpProviderTemplate template)
    {
        var custom = template.AllowsCustomConnection;
        Provider = template.Id;
        Transport = template.Transport;
        if (Transport == MailTransport.MicrosoftGraph)
        {
            // Graph: the host, port and scheme of the service root the token and the mail go to.
            GraphBaseUrl = GraphRules.EffectiveBaseUrl(options);
            Host = GraphBaseUrl.IdnHost;
            Port = GraphBaseUrl.Port;
            Security = GraphBaseUrl.Scheme == Uri.UriSchemeHttps ? SmtpSecurity.SslOnConnect : SmtpSecurity.None;
        }
        else
        {
            Host = (custom ? options.Host : template.Host)?.Trim() ?? string.Empty;
            Port = (custom ? options.Port : template.Port) ?? 0;
            Security = custom
                ? options.Security ?? (Port == 465 ? SmtpSecurity.SslOnConnect : SmtpSecurity.StartTls)
                : template.Security ?? SmtpSecurity.StartTls;
        }

        Username = string.IsNullOrEmpty(options.Username) ? template.FixedUsername : options.Username.Trim();
        Proxy = options.Proxy is { Host: { } proxyHost } proxy && !string.IsNullOrWhiteSpace(proxyHost) ? proxy : null;
        OAuth2 = options.Authentication == SmtpAuthenticationType.OAuth2 ? new OAuthClient(options.OAuth2 ?? new SmtpOAuthOptions(), template.OAuth2) : null;

        _parts = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["provider"] = Name(Provider),
            ["host"] = Name(Host),
            ["port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["security"] = Security.ToString(),
            ["proxy"] = Proxy is { } p ? $"{p.Type} {Name(p.Host)}:{p.Port} {Name(p.Username)}" : string.Empty,
            ["username"] = Name(Username),
            ["authentication"] = options.Authentication.ToString(),
        };

        if (GraphBaseUrl is { } graph)
        {
            // Only for Graph, so the fingerprints of SMTP destinations stored before the transport existed still match.
            _parts["transport"] = Transport.ToString();
            _parts["Graph base URL"] = graph.AbsoluteUri;
        }

        if (OAuth2 is { } client)
        {
            _parts["flow"] = client.Flow.ToString();
            _parts["client ID"] = Name(client.ClientId);
            _parts["tenant"] = Name(client.TenantId);
            _parts["endpoints"] = $"{client.AuthorizationEndpoint?.AbsoluteUri} {client.TokenEndpoint?.AbsoluteUri}";
            _parts["scopes"] = string.Join(' ', client.Scopes.Order(StringComparer.Ordinal));
            _parts["redirect URI"] = client.RedirectUri?.AbsoluteUri ?? string.Empty;
        }
    }

    /// <summary>Gets the provider template's id.</summary>
    public string Provider { get; }

    /// <summary>Gets how the mail leaves: over SMTP or through Microsoft Graph.</summary>
    public MailTransport Transport { get; }

    /// <summary>Gets the Microsoft Graph service root the mail and the token go to, or <see langword="null"/> for SMTP.</summary>
    public Uri? GraphBaseUrl { get; }

    /// <summary>Gets the SMTP host, as configured (trimmed); for Graph, the host of <see cref="GraphBaseUrl"/>.</summary>
    public string Host { get; }

    public int Port { get; }

    public SmtpSecurity Security { get; }

    /// <summary>Gets the SMTP user name: the configured one, else the template's fixed one.</summary>
    public string? Username { get; }

    /// <summary>Gets the proxy the connection goes through, or <see langword="null"/> when there is none.</summary>
    public SmtpProxyOptions? Proxy { get; }

    /// <summary>Gets the OAuth2 client, or <see langword="null"/> when the authentication is not OAuth2.</summary>
    public OAuthClient? OAuth2 { get; }

    /// <summary>Gets the destination of <paramref name="options"/>, or <see langword="null"/> when its provider is not known.</summary>
    public static SmtpDestination? Of(SystemMailOptions options, ISmtpProviderCatalog catalog) =>
        catalog.TryGet(options.Provider, out var template) ? new SmtpDestination(options, template) : null;

    /// <summary>Gets the destination of <paramref name="options"/> under <paramref name="template"/>.</summary>
    public static SmtpDestination Of(SystemMailOptions options, ISmtpProviderTemplate template) => new(options, template);

    /// <summary>Names the parts that differ from <paramref name="other"/> (all of them when it is <see langword="null"/>).</summary>
    public IReadOnlyList<string> Differences(SmtpDestination? other) =>
        other is null ? [.. _parts.Keys] : ChangesSince(other.Fingerprint());

    /// <summary>
    /// A keyed hash per part (never the values), to tell later which part changed. With a <paramref name="salt"/>, each
    /// hash is an HMAC keyed with it, kept in the fingerprint under <see cref="SaltKey"/>; without, an unkeyed hash (for
    /// comparisons in memory only).
    /// </summary>
    public Dictionary<string, string> Fingerprint(byte[]? salt = null)
    {
        var fingerprint = _parts.ToDictionary(part => part.Key, part => Hash(part.Value, salt), StringComparer.Ordinal);
        if (salt is not null)
        {
            fingerprint[SaltKey] = Convert.ToBase64String(salt);
        }

        return fingerprint;
    }

    /// <summary>Names the parts whose hash differs from a <see cref="Fingerprint"/> taken before (with the salt it holds).</summary>
    public IReadOnlyList<string> ChangesSince(IReadOnlyDictionary<string, string> fingerprint)
    {
        var salt = SaltOf(fingerprint);
        return [.. _parts.Where(part => !fingerprint.TryGetValue(part.Key, out var hash) || hash != Hash(part.Value, salt)).Select(part => part.Key)
            .Concat(fingerprint.Keys.Where(key => key != SaltKey && !_parts.ContainsKey(key)))];
    }

    public bool Equals(SmtpDestination? other) =>
        other is not null && _parts.Count == other._parts.Count && _parts.All(part => other._parts.TryGetValue(part.Key, out var value) && value == part.Value);

    public override bool Equals(object? obj) => Equals(obj as SmtpDestination);

    public override int GetHashCode() => _parts.Aggregate(0, (hash, part) => HashCode.Combine(hash, part.Key, part.Value));

    /// <summary>Names the destination without any user name: <c>provider host:port (security)</c>.</summary>
    public override string ToString() => $"{Provider} {Host}:{Port} ({Security})";

    /// <summary>The fingerprint entry that holds the key of its hashes (base64), never compared as a part.</summary>
    internal const string SaltKey = "salt";

    /// <summary>A new random key for a fingerprint: each stored record gets its own, so equal values hash differently in two records.</summary>
    internal static byte[] NewSalt() => RandomNumberGenerator.GetBytes(16);

    /// <summary>The key a fingerprint's hashes were made with, or <see langword="null"/> for an unkeyed (older) fingerprint.</summary>
    internal static byte[]? SaltOf(IReadOnlyDictionary<string, string> fingerprint)
    {
        if (!fingerprint.TryGetValue(SaltKey, out var text))
        {
            return null;
        }

        var salt = new byte[16];
        return Convert.TryFromBase64String(text, salt, out var written) && written == salt.Length ? salt : [];
    }

    /// <summary>
    /// A hash of a fingerprint value: enough to tell a change, never enough to confirm a guess of a secret without the
    /// record's key (an HMAC-SHA256 keyed with <paramref name="salt"/>, truncated). Without a key, a truncated SHA-256,
    /// as fingerprints were kept before they were keyed; read for comparison only.
    /// </summary>
    internal static string Hash(string value, byte[]? salt = null) =>
        salt is null
            ? Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value)), 0, 12)
            : Convert.ToHexString(HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes(value)), 0, 16);

    private static string Name(string? value) => value?.Trim().ToUpperInvariant() ?? string.Empty;

    /// <summary>The OAuth2 client a token or client secret belongs to, with a template's endpoints and scopes filled in.</summary>
    internal sealed class OAuthClient
    {
        public OAuthClient(SmtpOAuthOptions options, SmtpOAuthMetadata? metadata)
        {
            Flow = options.Flow;
            ClientType = metadata?.ClientType ?? OAuthClientType.Generic;
            ClientId = options.ClientId?.Trim() ?? string.Empty;
            TenantId = string.IsNullOrWhiteSpace(options.TenantId) ? null : options.TenantId.Trim();
            RedirectUri = options.RedirectUri;
            if (metadata is not null)
            {
                // A host's template with an endpoint that is not an absolute URL fails validation; it must not throw here.
                AuthorizationEndpoint = Uri.TryCreate(WithTenant(metadata.AuthorizationEndpoint), UriKind.Absolute, out var authorization) ? authorization : null;
                TokenEndpoint = Uri.TryCreate(WithTenant(metadata.TokenEndpoint), UriKind.Absolute, out var token) ? token : null;
                Scopes = Flow == OAuthFlow.ClientCredentials ? metadata.ClientCredentialsScopes : metadata.Scopes;
                AuthorizationParameters = WithOptions(metadata.AuthorizationParameters, options.AuthorizationParameters);
            }
            else
            {
                AuthorizationEndpoint = options.AuthorizationEndpoint is { IsAbsoluteUri: true } authorization ? authorization : null;
                TokenEndpoint = options.TokenEndpoint is { IsAbsoluteUri: true } token ? token : null;
                Scopes = [.. (options.Scopes ?? []).Select(s => s.Trim()).Where(s => s.Length > 0)];
                AuthorizationParameters = WithOptions(new Dictionary<string, string>(), options.AuthorizationParameters);
            }

            // Google and Microsoft take login_hint, so their templates send it; another server only where the host says so.
            SendsLoginHint = ClientType is OAuthClientType.Google or OAuthClientType.Microsoft || options.SendLoginHint;

            string WithTenant(string endpoint) => endpoint.Replace("{tenant}", Uri.EscapeDataString(TenantId ?? "common"), StringComparison.Ordinal);
        }

        public OAuthFlow Flow { get; }

        public OAuthClientType ClientType { get; }

        public string ClientId { get; }

        public string? TenantId { get; }

        public Uri? AuthorizationEndpoint { get; }

        public Uri? TokenEndpoint { get; }

        public IReadOnlyList<string> Scopes { get; }

        /// <summary>Gets the extra query parameters of the authorization URL: the template's, then the host's over them.</summary>
        public IReadOnlyDictionary<string, string> AuthorizationParameters { get; }

        /// <summary>Gets whether the authorization URL carries <c>login_hint</c> with the SMTP user name.</summary>
        public bool SendsLoginHint { get; }

        public Uri? RedirectUri { get; }

        private static Dictionary<string, string> WithOptions(IReadOnlyDictionary<string, string> template, IDictionary<string, string>? configured)
        {
            var parameters = new Dictionary<string, string>(template, StringComparer.Ordinal);
            foreach (var (name, value) in configured ?? new Dictionary<string, string>())
            {
                parameters[name.Trim()] = value;
            }

            return parameters;
        }
    }
}
