using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailKit;
using MailKit.Net.Smtp;
using MimeKit;

namespace SystemMail;

/// <summary>
/// A MailKit client that tells a <see cref="DiagnosticRun"/> what MailKit otherwise keeps to itself: the server's
/// certificate and what validation thought of it, and when the sender and the recipient were accepted.
/// </summary>
internal sealed class DiagnosticSmtpClient : SmtpClient
{
    private readonly DiagnosticRun _run;

    public DiagnosticSmtpClient(IProtocolLogger protocolLogger, DiagnosticRun run)
        : base(protocolLogger)
    {
        _run = run;
    }

    /// <summary>
    /// Sees each certificate validation: its input and its verdict. Call after the settings' callback is set; the
    /// verdict is unchanged (that callback, or MailKit's default, which accepts only a certificate without errors).
    /// </summary>
    public void ObserveCertificateValidation()
    {
        var validate = ServerCertificateValidationCallback ?? DefaultServerCertificateValidationCallback;
        ServerCertificateValidationCallback = (sender, certificate, chain, errors) =>
        {
            var accepted = validate(sender, certificate, chain, errors);
            _run.OnCertificate(Describe(certificate, chain, errors, accepted));
            return accepted;
        };
    }

    protected override void OnSenderAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response)
    {
        base.OnSenderAccepted(message, mailbox, response);
        _run.OnSenderAccepted(ToReply(response));
    }

    protected override void OnRecipientAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response)
    {
        base.OnRecipientAccepted(message, mailbox, response);
        _run.OnRecipientAccepted(ToReply(response));
    }

    private static SmtpServerReply ToReply(SmtpResponse response) => new()
    {
        StatusCode = (int)response.StatusCode,
        EnhancedStatusCode = SmtpReply.ParseEnhancedCode(response.Response),
        Text = response.Response,
    };

    private static SmtpTlsInfo Describe(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, bool accepted)
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
}
