using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SystemMail.Benchmarks.Server;

/// <summary>The benchmark server's self-signed certificate for localhost and 127.0.0.1, and a client callback that pins it.</summary>
internal sealed class ServerCertificate : IDisposable
{
    private ServerCertificate(X509Certificate2 withPrivateKey)
    {
        WithPrivateKey = withPrivateKey;
        Sha256Thumbprint = withPrivateKey.GetCertHashString(HashAlgorithmName.SHA256);
    }

    public X509Certificate2 WithPrivateKey { get; }

    public string Sha256Thumbprint { get; }

    public static ServerCertificate Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        using var created = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(7));
        // A certificate loaded from PKCS#12 keeps its key usable by SslStream on every platform.
        return new ServerCertificate(X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), password: null));
    }

    /// <summary>Gets the private key in PKCS#8 PEM, for a server in another program (Postfix).</summary>
    public string PrivateKeyPem()
    {
        using var key = WithPrivateKey.GetECDsaPrivateKey() ?? throw new InvalidOperationException("The certificate has no ECDSA key.");
        return key.ExportPkcs8PrivateKeyPem();
    }

    /// <summary>Trusts exactly this certificate: same SHA-256 thumbprint and a matching name; only the self-signed chain error is forgiven.</summary>
    public RemoteCertificateValidationCallback Pin() => Pin(Sha256Thumbprint);

    /// <summary>Trusts exactly the certificate with this SHA-256 thumbprint, for a server in another process.</summary>
    public static RemoteCertificateValidationCallback Pin(string expected)
    {
        return (_, certificate, _, errors) =>
            certificate is not null &&
            string.Equals(certificate.GetCertHashString(HashAlgorithmName.SHA256), expected, StringComparison.OrdinalIgnoreCase) &&
            (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None;
    }

    public void Dispose() => WithPrivateKey.Dispose();
}
