using MailKit;
using MailKit.Net.Smtp;
using MimeKit;

namespace SystemMail;

/// <summary>
/// MailKit's <see cref="SmtpClient"/>, declaring the SIZE of the mails SystemMail renders from their size estimate
/// instead of writing each message out once more only to count its bytes, noting whether the server accepted the
/// sender of the current mail (so the pool knows a failure did not come from a connection closed while idle), and
/// telling an <see cref="ISmtpConnectionObserver"/> what MailKit otherwise keeps to itself: the server's certificate
/// with the verdict on it, and when the sender and the recipients were accepted.
/// </summary>
internal sealed class SystemMailSmtpClient : SmtpClient
{
    private readonly ISmtpConnectionObserver? _observer;

    public SystemMailSmtpClient()
    {
    }

    public SystemMailSmtpClient(IProtocolLogger protocolLogger, ISmtpConnectionObserver? observer = null)
        : base(protocolLogger)
    {
        _observer = observer;
    }

    /// <summary>
    /// Gets whether the server accepted MAIL FROM since <see cref="StartTransaction"/>: the connection was alive when
    /// this mail started, so a failure after it is not a connection the server had closed while it sat idle.
    /// </summary>
    public bool SenderAccepted { get; private set; }

    /// <summary>Gets the certificate that validation rejected, once <see cref="ObserveCertificateValidation"/> saw one.</summary>
    public SmtpTlsInfo? RejectedCertificate { get; private set; }

    /// <summary>Marks the start of a send on this connection.</summary>
    public void StartTransaction() => SenderAccepted = false;

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
            if (!accepted || _observer is not null)
            {
                // Described only when someone reads it: a rejection names its cause in the hint.
                var described = CertificateFacts.Describe(certificate, chain, errors, accepted);
                RejectedCertificate = accepted ? null : described;
                _observer?.OnCertificateValidated(described);
            }

            return accepted;
        };
    }

    protected override void OnSenderAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response)
    {
        SenderAccepted = true;
        base.OnSenderAccepted(message, mailbox, response);
        _observer?.OnSenderAccepted(SmtpServerReply.From((int)response.StatusCode, response.Response));
    }

    protected override void OnRecipientAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response)
    {
        base.OnRecipientAccepted(message, mailbox, response);
        _observer?.OnRecipientAccepted(SmtpServerReply.From((int)response.StatusCode, response.Response));
    }

    protected override long GetSize(FormatOptions options, MimeMessage message, CancellationToken cancellationToken) =>
        EstimateFor(message) ?? base.GetSize(options, message, cancellationToken);

    protected override Task<long> GetSizeAsync(FormatOptions options, MimeMessage message, CancellationToken cancellationToken) =>
        EstimateFor(message) is { } estimate ? Task.FromResult(estimate) : base.GetSizeAsync(options, message, cancellationToken);

    /// <summary>
    /// The estimate, when one may stand in for the exact size. MailKit also measures for BDAT, whose byte count must
    /// be exact: it sends with BDAT when a part's transfer encoding is binary and the server takes BINARYMIME (MimeKit
    /// picks binary for text with a NUL in it then), so such a message is measured. So is one whose estimate is over
    /// the server's SIZE limit: the server would refuse the declared size even when the mail itself fits.
    /// </summary>
    /// <remarks>MailKit calls this after preparing the message for the server, so the parts' encodings are final.</remarks>
    private long? EstimateFor(MimeMessage message)
    {
        if (PreferSendAsBinaryData || message is not RenderedMimeMessage { SizeEstimate: { } estimate } ||
            (MaxSize > 0 && estimate > MaxSize))
        {
            return null;
        }

        foreach (var part in message.BodyParts)
        {
            if (part is MimePart { ContentTransferEncoding: ContentEncoding.Binary })
            {
                return null;
            }
        }

        return estimate;
    }
}
