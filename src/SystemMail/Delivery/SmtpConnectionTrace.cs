using System.Net;
using System.Text;
using MailKit;

namespace SystemMail;

/// <summary>
/// How far one connection attempt got, as <see cref="SmtpConnector"/> and MailKit's protocol log see it: the stage,
/// the server's error reply in that stage, the SASL mechanism tried and the end point connected to. MailKit runs
/// greeting, EHLO, STARTTLS and the handshake inside one call; the commands and replies it logs tell them apart.
/// </summary>
/// <remarks>
/// Everything MailKit logs goes on to the caller's protocol logger, if any (which stays the caller's to dispose).
/// Reading stops at <see cref="Finish"/>: on a pooled connection the mails after it cost one check, as MailKit's
/// own null logger would. Of the client's lines only the command verb is read.
/// </remarks>
internal sealed class SmtpConnectionTrace : IProtocolLogger
{
    private readonly IProtocolLogger? _inner;
    private readonly StringBuilder _clientLine = new();
    private readonly StringBuilder _serverLine = new();
    private readonly List<string> _replyLines = [];
    private bool _reading = true;
    private bool _sawServerLine;

    public SmtpConnectionTrace(IProtocolLogger? inner)
    {
        _inner = inner;
    }

    public SmtpStage Stage { get; private set; }

    /// <summary>Gets the last reply of the current stage when it was an error (4xx, 5xx).</summary>
    public SmtpServerReply? ErrorReply { get; private set; }

    /// <summary>Gets whether the server's first line was not an SMTP reply: another service (HTTP, SSH) listens on the port.</summary>
    public bool GreetingNotSmtp { get; private set; }

    /// <summary>Gets or sets what to do when the server's first line arrives (the greeting's timer stops).</summary>
    public Action? FirstServerLine { get; set; }

    /// <summary>Gets the SASL mechanism of the last <c>AUTH</c> command.</summary>
    public string? Mechanism { get; private set; }

    /// <summary>Gets or sets the server's end point, once a direct connection stands.</summary>
    public IPEndPoint? RemoteEndPoint { get; set; }

    public IAuthenticationSecretDetector? AuthenticationSecretDetector
    {
        get => _inner?.AuthenticationSecretDetector;
        set
        {
            if (_inner is not null)
            {
                _inner.AuthenticationSecretDetector = value;
            }
        }
    }

    /// <summary>Moves on to <paramref name="stage"/>; the error reply of the stage before is forgotten.</summary>
    public void Enter(SmtpStage stage)
    {
        if (stage != Stage)
        {
            Stage = stage;
            ErrorReply = null;
        }
    }

    /// <summary>The connection stands: stops reading what MailKit logs.</summary>
    public void Finish()
    {
        _reading = false;
        _clientLine.Clear();
        _serverLine.Clear();
        _replyLines.Clear();
    }

    public void LogConnect(Uri uri)
    {
        _inner?.LogConnect(uri);

        // Implicit TLS: MailKit reports the connection once the handshake is done, before the greeting.
        if (_reading && Stage == SmtpStage.Tls)
        {
            Enter(SmtpStage.Greeting);
        }
    }

    public void LogClient(byte[] buffer, int offset, int count)
    {
        _inner?.LogClient(buffer, offset, count);
        if (!_reading)
        {
            return;
        }

        for (var i = offset; i < offset + count; i++)
        {
            if (buffer[i] == '\n')
            {
                OnClientLine(_clientLine.ToString());
                _clientLine.Clear();
            }
            else if (_clientLine.Length < SmtpCommandLine.PrefixLength)
            {
                _clientLine.Append((char)buffer[i]);
            }
        }
    }

    public void LogServer(byte[] buffer, int offset, int count)
    {
        _inner?.LogServer(buffer, offset, count);
        if (!_reading)
        {
            return;
        }

        for (var i = offset; i < offset + count; i++)
        {
            if (buffer[i] == '\n')
            {
                OnServerLine(_serverLine.ToString().TrimEnd('\r'));
                _serverLine.Clear();
            }
            else
            {
                _serverLine.Append((char)buffer[i]);
            }
        }
    }

    public void Dispose()
    {
        // The caller's logger is the caller's: a diagnostic reads its transcript after the client is gone.
    }

    private void OnClientLine(string prefix)
    {
        switch (SmtpCommandLine.Verb(prefix, out var mechanism))
        {
            case "EHLO" or "HELO":
                Enter(SmtpStage.Ehlo);
                break;
            case "STARTTLS":
                Enter(SmtpStage.Tls);
                break;
            case "AUTH" when mechanism is not null:
                Mechanism = mechanism;
                break;
        }
    }

    private void OnServerLine(string line)
    {
        if (!_sawServerLine)
        {
            _sawServerLine = true;
            GreetingNotSmtp = !SmtpServerReply.IsReplyLine(line);
            FirstServerLine?.Invoke();
        }

        var code = SmtpServerReply.ParseLine(line, out var last, out var text);
        _replyLines.Add(text);
        if (code == 0 || !last)
        {
            return;
        }

        ErrorReply = code >= 400 ? SmtpServerReply.FromLines(code, _replyLines) : null;
        _replyLines.Clear();
    }
}
