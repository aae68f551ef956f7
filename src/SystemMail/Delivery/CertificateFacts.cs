using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SystemMail;

/// <summary>What the server's certificate says about itself and what validation found wrong with it, and the hint that names the cause.</summary>
internal static class CertificateFacts
{
    public static SmtpTlsInfo Describe(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, bool accepted)
    {
        var problems = new List<string>();
        foreach (var error in (SslPolicyErrors[])[SslPolicyErrors.RemoteCertificateNotAvailable, SslPolicyErrors.RemoteCertificateNameMismatch])
        {
            if (errors.HasFlag(error))
            {
                problems.Add(error.ToString());
            }
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            var statuses = chain?.ChainStatus.Select(s => s.Status.ToString()).Distinct().ToList() ?? [];
            problems.AddRange(statuses.Count > 0 ? statuses : [nameof(SslPolicyErrors.RemoteCertificateChainErrors)]);
        }

        if (certificate is null)
        {
            return new SmtpTlsInfo { CertificateErrors = problems, CertificateAccepted = accepted };
        }

        using var certificate2 = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var dnsNames = certificate2.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateDnsNames()).ToList();
        return new SmtpTlsInfo
        {
            CertificateSubject = certificate2.Subject,
            CertificateIssuer = certificate2.Issuer,
            CertificateNotBefore = new DateTimeOffset(certificate2.NotBefore.ToUniversalTime(), TimeSpan.Zero),
            CertificateNotAfter = new DateTimeOffset(certificate2.NotAfter.ToUniversalTime(), TimeSpan.Zero),
            CertificateDnsNames = dnsNames,
            CertificateThumbprint = certificate2.GetCertHashString(HashAlgorithmName.SHA256),
            CertificateErrors = problems,
            CertificateAccepted = accepted,
        };
    }

    /// <summary>The hint for a certificate that validation rejected: the wrong name, expired, or not trusted.</summary>
    public static Hint HintFor(SmtpTlsInfo certificate, SmtpSettings settings)
    {
        var endpoint = settings.Endpoint;
        if (certificate.CertificateErrors.Contains(nameof(SslPolicyErrors.RemoteCertificateNameMismatch)))
        {
            var names = certificate.CertificateDnsNames.Count > 0
                ? string.Join(", ", certificate.CertificateDnsNames)
                : certificate.CertificateSubject ?? "another name";
            return Hints.CertificateNameMismatch(endpoint, settings.Host, names);
        }

        if (certificate.CertificateErrors.Contains(nameof(X509ChainStatusFlags.NotTimeValid)))
        {
            return Hints.CertificateExpired(endpoint);
        }

        return certificate.CertificateErrors.Count > 0 ? Hints.CertificateChainUntrusted(endpoint) : Hints.CertificateUntrusted(endpoint);
    }
}
