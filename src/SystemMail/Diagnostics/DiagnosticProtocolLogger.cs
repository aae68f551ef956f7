using System.Globalization;
using System.Text;
using MailKit;

namespace SystemMail;

/// <summary>
/// Writes the transcript through MailKit's <see cref="ProtocolLogger"/> (whose authentication secret detector, set by
/// the <see cref="MailKit.Net.Smtp.SmtpClient"/>, replaces credentials with <c>********</c>) and tells a
/// <see cref="DiagnosticRun"/> which command was sent and which reply came back, so it can time each stage.
/// </summary>
/// <remarks>
/// Of the client's lines only the command verb (and the SASL mechanism of <c>AUTH</c>) is read; nothing else the
/// client sends is kept. The message content after <c>DATA</c> or <c>BDAT</c> is left out of the transcript and
/// replaced by its size. The server's first line is shown only once it has the shape of an SMTP reply: what another
/// service on the port says (an HTTP or SSH banner) is replaced by a note, and nothing after it is shown.
/// </remarks>
internal sealed class DiagnosticProtocolLogger : IProtocolLogger
{
    private readonly MemoryStream _transcript = new();
    private readonly ProtocolLogger _inner;
    private readonly DiagnosticRun _run;
    private readonly StringBuilder _clientLine = new();
    private readonly StringBuilder _serverLine = new();
    private readonly List<string> _replyLines = [];
    private readonly MemoryStream _firstLine = new();
    private bool _firstLineJudged;
    private bool _notSmtp;
    private bool _inMessageContent;
    private long _messageBytes;

    public DiagnosticProtocolLogger(DiagnosticRun run)
    {
        _run = run;
        _inner = new ProtocolLogger(_transcript, leaveOpen: true) { RedactSecrets = true };
    }

    public IAuthenticationSecretDetector? AuthenticationSecretDetector
    {
        get => _inner.AuthenticationSecretDetector;
        set => _inner.AuthenticationSecretDetector = value;
    }

    /// <summary>Gets the transcript written so far.</summary>
    public string Transcript => Encoding.UTF8.GetString(_transcript.GetBuffer(), 0, (int)_transcript.Length);

    public void LogConnect(Uri uri)
    {
        _inner.LogConnect(uri);
        _run.OnConnected();
    }

    public void LogClient(byte[] buffer, int offset, int count)
    {
        var end = offset + count;
        var index = offset;
        while (index < end)
        {
            if (_inMessageContent)
            {
                _messageBytes += end - index;
                return;
            }

            var newline = Array.IndexOf(buffer, (byte)'\n', index, end - index);
            var lineEnd = newline < 0 ? end : newline + 1;
            _inner.LogClient(buffer, index, lineEnd - index);
            for (var i = index; i < lineEnd && _clientLine.Length < SmtpCommandLine.PrefixLength; i++)
            {
                _clientLine.Append((char)buffer[i]);
            }

            if (newline >= 0)
            {
                OnClientLine(_clientLine.ToString());
                _clientLine.Clear();
            }

            index = lineEnd;
        }
    }

    public void LogServer(byte[] buffer, int offset, int count)
    {
        if (_notSmtp)
        {
            return;
        }

        if (!_firstLineJudged)
        {
            // Held until the first line is complete: only an SMTP reply goes into the transcript.
            _firstLine.Write(buffer, offset, count);
            var held = _firstLine.GetBuffer().AsSpan(0, (int)_firstLine.Length);
            var newline = held.IndexOf((byte)'\n');
            if (newline < 0)
            {
                return;
            }

            _firstLineJudged = true;
            var line = Encoding.ASCII.GetString(held[..newline]).TrimEnd('\r');
            if (!SmtpServerReply.IsReplyLine(line))
            {
                _notSmtp = true;
                var note = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"[not an SMTP reply: {held.Length} bytes, not shown]\r\n"));
                _inner.LogServer(note, 0, note.Length);
                return;
            }

            buffer = held.ToArray();
            offset = 0;
            count = buffer.Length;
        }

        if (_inMessageContent)
        {
            // The server answers only once the content is complete.
            var note = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"[message content: {_messageBytes} bytes, not shown]\r\n"));
            _inner.LogClient(note, 0, note.Length);
            _inMessageContent = false;
            _messageBytes = 0;
        }

        _inner.LogServer(buffer, offset, count);
        for (var i = offset; i < offset + count; i++)
        {
            var c = (char)buffer[i];
            if (c == '\n')
            {
                OnServerLine(_serverLine.ToString().TrimEnd('\r'));
                _serverLine.Clear();
            }
            else
            {
                _serverLine.Append(c);
            }
        }
    }

    public void Dispose()
    {
        _firstLine.Dispose();
        _inner.Dispose();
        _transcript.Dispose();
    }

    private void OnClientLine(string line)
    {
        if (SmtpCommandLine.Verb(line, out var mechanism) is not { } verb)
        {
            return;
        }

        _run.OnClientCommand(verb, mechanism);
        if (verb == "BDAT")
        {
            // The chunk follows the command line at once, with no reply in between.
            _inMessageContent = true;
        }
    }

    private void OnServerLine(string line)
    {
        var code = SmtpServerReply.ParseLine(line, out var last, out var text);
        _replyLines.Add(text);
        if (code == 0 || !last)
        {
            return;
        }

        var reply = SmtpServerReply.FromLines(code, _replyLines);
        var lines = _replyLines.ToList();
        _replyLines.Clear();
        _run.OnServerReply(reply, lines);
        if (code == 354)
        {
            _inMessageContent = true;
        }
    }
}
