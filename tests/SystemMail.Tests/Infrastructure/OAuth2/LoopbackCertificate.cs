using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SystemMail.Tests.Infrastructure.OAuth2;

/// <summary>Self-signed server certificates for loopback test servers.</summary>
public static class LoopbackCertificate
{
    /// <summary>
    /// A fresh self-signed certificate for CN=localhost with SAN DNS:localhost and IP:127.0.0.1, valid for a day either side of now.
    /// </summary>
    /// <remarks>
    /// ECDSA P-256 keeps creation to a millisecond or two, against tens of milliseconds for RSA 2048.
    /// The PFX round trip gives the key a form every platform's TLS stack accepts: an ephemeral key
    /// from <see cref="CertificateRequest.CreateSelfSigned"/> is refused by SChannel on Windows.
    /// </remarks>
    public static X509Certificate2 Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);

        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], false));

        var now = DateTimeOffset.UtcNow;
        using var ephemeral = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pfx), password: null);
    }

    /// <summary>
    /// A private certificate authority (trusted by nothing on the machine) and a server certificate for localhost and
    /// 127.0.0.1 that it issued: what a company's internal identity provider presents.
    /// </summary>
    public static (X509Certificate2 Authority, X509Certificate2 Server) CreateWithPrivateAuthority()
    {
        var now = DateTimeOffset.UtcNow;
        using var authorityKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var authorityRequest = new CertificateRequest("CN=SystemMail Tests Private CA", authorityKey, HashAlgorithmName.SHA256);
        authorityRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        authorityRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        authorityRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(authorityRequest.PublicKey, false));
        var authority = authorityRequest.CreateSelfSigned(now.AddDays(-2), now.AddDays(2));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        using var issued = request.Create(authority, now.AddDays(-1), now.AddDays(1), [1, 2, 3, 4, 5, 6, 7, 8]);
        using var withKey = issued.CopyWithPrivateKey(key);
        var server = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), password: null);
        return (authority, server);
    }
}
