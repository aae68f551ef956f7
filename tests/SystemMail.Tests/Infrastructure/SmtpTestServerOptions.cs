namespace SystemMail.Tests.Infrastructure;

/// <summary>How a <see cref="SmtpTestServer"/> starts. Changes at run time go through <see cref="SmtpTestServer.SetBehaviourAsync"/>.</summary>
public sealed record SmtpTestServerOptions
{
    /// <summary>Gets whether the port speaks TLS from the first byte (implicit TLS, like port 465).</summary>
    public bool ImplicitTls { get; init; }

    /// <summary>Gets whether a plain port offers STARTTLS. Defaults to <see langword="true"/>.</summary>
    public bool OfferStartTls { get; init; } = true;

    /// <summary>Gets whether STARTTLS works but is left out of the EHLO reply.</summary>
    public bool HideStartTls { get; init; }

    /// <summary>Gets the SASL mechanisms offered, such as <c>PLAIN</c>, <c>LOGIN</c>, <c>XOAUTH2</c>.</summary>
    public IReadOnlyList<string> AuthMethods { get; init; } = ["PLAIN", "LOGIN"];

    /// <summary>Gets whether mail is accepted without AUTH.</summary>
    public bool AuthOptional { get; init; }

    /// <summary>Gets whether AUTH is not offered at all.</summary>
    public bool AuthDisabled { get; init; }

    /// <summary>Gets whether AUTH is allowed on a connection without TLS.</summary>
    public bool AllowInsecureAuth { get; init; }

    /// <summary>Gets the accounts PLAIN and LOGIN accept: user name to password.</summary>
    public IReadOnlyDictionary<string, string> Users { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the access tokens XOAUTH2 accepts from the start.</summary>
    public IReadOnlyList<string> XOAuth2Tokens { get; init; } = [];

    /// <summary>
    /// Gets the authorization server XOAUTH2 tokens are checked against (RFC 7662 introspection), so the server
    /// accepts exactly the tokens that server issued and still considers valid; <see langword="null"/> for none.
    /// </summary>
    public OAuth2.OAuth2TestServer? XOAuth2Issuer { get; init; }

    /// <summary>Gets the server's certificate; <see cref="TestCertificate.Localhost"/> when <see langword="null"/>.</summary>
    public TestCertificate? Certificate { get; init; }

    /// <summary>Gets the SIZE limit in bytes, or <see langword="null"/> for none.</summary>
    public long? MaxMessageSize { get; init; }

    /// <summary>Gets whether the server advertises ENHANCEDSTATUSCODES and prefixes its own replies with them.</summary>
    public bool EnhancedStatusCodes { get; init; }

    /// <summary>Gets the oldest TLS version the server accepts, such as <c>TLSv1</c>; the server's default when <see langword="null"/>.</summary>
    public string? MinTlsVersion { get; init; }

    /// <summary>Gets the newest TLS version the server accepts, such as <c>TLSv1.1</c> for a server too old for today's clients.</summary>
    public string? MaxTlsVersion { get; init; }

    /// <summary>Gets whether the EHLO reply leaves out SMTPUTF8 (RFC 6531), which the server offers by default.</summary>
    public bool HideSmtpUtf8 { get; init; }

    /// <summary>Gets the OpenSSL cipher list, such as <c>DEFAULT:@SECLEVEL=0</c>, which OpenSSL 3 needs to speak TLS 1.0 and 1.1.</summary>
    public string? Ciphers { get; init; }
}
