using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SystemMail.Tests.Infrastructure;

/// <summary>A self-signed server certificate made for the tests, with its PEM files' content for the Node.js server.</summary>
public sealed class TestCertificate
{
    private static readonly Lazy<TestCertificate> LazyLocalhost = new(() =>
        Create("localhost", ["localhost"], [IPAddress.Loopback, IPAddress.IPv6Loopback]));

    private TestCertificate(X509Certificate2 certificate, string certificatePem, string privateKeyPem)
    {
        Certificate = certificate;
        CertificatePem = certificatePem;
        PrivateKeyPem = privateKeyPem;
    }

    /// <summary>Gets the certificate for CN=localhost with SAN DNS:localhost, IP:127.0.0.1 and IP:::1, made once per test run.</summary>
    public static TestCertificate Localhost => LazyLocalhost.Value;

    /// <summary>Gets the public certificate, without its private key, as a client sees it.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Gets the certificate in PEM.</summary>
    public string CertificatePem { get; }

    /// <summary>Gets the private key in PKCS#8 PEM.</summary>
    public string PrivateKeyPem { get; }

    /// <summary>Gets the SHA-256 thumbprint of the certificate.</summary>
    public string Sha256Thumbprint => Certificate.GetCertHashString(HashAlgorithmName.SHA256);

    /// <summary>Makes a certificate for a name the tests never connect to, for certificate-mismatch tests.</summary>
    public static TestCertificate CreateForWrongName() => Create("mail.example.org", ["mail.example.org"], []);

    /// <summary>Makes a self-signed ECDSA P-256 server certificate valid from yesterday for 30 days.</summary>
    public static TestCertificate Create(string commonName, IEnumerable<string> dnsNames, IEnumerable<IPAddress> ipAddresses)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var dnsName in dnsNames)
        {
            names.AddDnsName(dnsName);
        }

        foreach (var address in ipAddresses)
        {
            names.AddIpAddress(address);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));

        var now = DateTimeOffset.UtcNow;
        using var withKey = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        var publicOnly = X509CertificateLoader.LoadCertificate(withKey.RawData);
        return new TestCertificate(publicOnly, withKey.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>
    /// A validation callback that trusts exactly this certificate: the presented certificate must have this
    /// thumbprint and match the host name; only the chain error of a self-signed certificate is forgiven.
    /// </summary>
    public RemoteCertificateValidationCallback Pin()
    {
        var expected = Sha256Thumbprint;
        return (_, certificate, _, errors) =>
            certificate is not null &&
            string.Equals(certificate.GetCertHashString(HashAlgorithmName.SHA256), expected, StringComparison.OrdinalIgnoreCase) &&
            (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None;
    }
}
