using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SystemMail.Tests.Infrastructure.OAuth2;

/// <summary>
/// Trusts exactly one server certificate, for one HTTP handler, instead of turning validation off:
/// the chain may be untrusted (it is self-signed), but the presented certificate must be the pinned
/// one byte for byte and the host name must still match it.
/// </summary>
public static class PinnedCertificate
{
    /// <summary>A validation callback that accepts only <paramref name="pinned"/>.</summary>
    public static RemoteCertificateValidationCallback CreateValidator(X509Certificate2 pinned)
    {
        ArgumentNullException.ThrowIfNull(pinned);
        var expected = pinned.GetCertHash(HashAlgorithmName.SHA256);

        return (_, certificate, _, errors) =>
            certificate is not null
            && (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None
            && CryptographicOperations.FixedTimeEquals(certificate.GetCertHash(HashAlgorithmName.SHA256), expected);
    }

    /// <summary>A handler that trusts only <paramref name="pinned"/> and never follows redirects, so a test reads each <c>Location</c> itself.</summary>
    public static SocketsHttpHandler CreateHandler(X509Certificate2 pinned) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = CreateValidator(pinned) },
    };
}
