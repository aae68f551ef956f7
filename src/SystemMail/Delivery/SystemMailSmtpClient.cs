using MailKit;
using MailKit.Net.Smtp;
using MimeKit;

namespace SystemMail;

/// <summary>
/// MailKit's <see cref="SmtpClient"/>, declaring the SIZE of the mails SystemMail renders from their size estimate
/// instead of writing each message out once more only to count its bytes.
/// </summary>
internal sealed class SystemMailSmtpClient : SmtpClient
{
    public SystemMailSmtpClient()
    {
    }

    public SystemMailSmtpClient(IProtocolLogger protocolLogger)
        : base(protocolLogger)
    {
    }

    protected override long GetSize(FormatOptions options, MimeMessage message, CancellationToken cancellationToken) =>
        EstimateFor(message) ?? base.GetSize(options, message, cancellationToken);

    protected override Task<long> GetSizeAsync(FormatOptions options, MimeMessage message, CancellationToken cancellationToken) =>
        EstimateFor(message) is { } estimate ? Task.FromResult(estimate) : base.GetSizeAsync(options, message, cancellationToken);

    /// <summary>
    /// The estimate, when one may stand in for the exact size: MailKit also measures for BDAT (CHUNKING), whose
    /// byte count must be exact, and SystemMail never asks for BDAT.
    /// </summary>
    private long? EstimateFor(MimeMessage message) =>
        !PreferSendAsBinaryData && message is RenderedMimeMessage { SizeEstimate: { } estimate } ? estimate : null;
}
