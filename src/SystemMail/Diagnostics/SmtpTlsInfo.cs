namespace SystemMail;

/// <summary>What the TLS handshake of an <see cref="SmtpDiagnosticReport"/> negotiated and the certificate the server presented.</summary>
/// <remarks>After a failed handshake, only the certificate facts may be known (a rejected certificate was still seen).</remarks>
public sealed class SmtpTlsInfo
{
    /// <summary>Gets the TLS version, such as <c>Tls13</c>, or <see langword="null"/> when the handshake did not complete.</summary>
    public string? Protocol { get; init; }

    /// <summary>Gets the cipher suite, such as <c>TLS_AES_256_GCM_SHA384</c>, or <see langword="null"/> when the handshake did not complete.</summary>
    public string? CipherSuite { get; init; }

    /// <summary>Gets the certificate's subject, such as <c>CN=smtp.gmail.com</c>, or <see langword="null"/> when the server presented none.</summary>
    public string? CertificateSubject { get; init; }

    /// <summary>Gets the certificate's issuer.</summary>
    public string? CertificateIssuer { get; init; }

    /// <summary>Gets the start of the certificate's validity.</summary>
    public DateTimeOffset? CertificateNotBefore { get; init; }

    /// <summary>Gets the end of the certificate's validity.</summary>
    public DateTimeOffset? CertificateNotAfter { get; init; }

    /// <summary>Gets the DNS names of the certificate's subject alternative name extension.</summary>
    public IReadOnlyList<string> CertificateDnsNames { get; init; } = [];

    /// <summary>Gets the certificate's SHA-256 thumbprint in hexadecimal.</summary>
    public string? CertificateThumbprint { get; init; }

    /// <summary>
    /// Gets what the platform found wrong with the certificate: <c>RemoteCertificateNameMismatch</c>,
    /// <c>RemoteCertificateNotAvailable</c> and the chain's status, such as <c>UntrustedRoot</c> or <c>NotTimeValid</c>.
    /// Empty when the certificate was valid.
    /// </summary>
    public IReadOnlyList<string> CertificateErrors { get; init; } = [];

    /// <summary>Gets whether the certificate was accepted (by the platform, or by <see cref="SystemMailOptions.ServerCertificateValidationCallback"/>).</summary>
    public bool? CertificateAccepted { get; init; }
}
