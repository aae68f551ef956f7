namespace SystemMail;

/// <summary>Picks the transport of a settings generation: <see cref="SmtpConnectionPool"/> or <see cref="GraphMailTransport"/>.</summary>
internal sealed class MailTransports
{
    private readonly IMailTransport _smtp;
    private readonly IMailTransport _graph;

    public MailTransports(IMailTransport smtp, IMailTransport graph)
    {
        _smtp = smtp;
        _graph = graph;
    }

    public IMailTransport For(SmtpSettings settings) =>
        settings.Transport == MailTransport.MicrosoftGraph ? _graph : _smtp;
}
