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
}
