using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace SystemMail.Tests.Sending;

/// <summary>
/// The SIZE SystemMail declares for its own mails, against a scripted server whose EHLO offers what the test
/// needs (BINARYMIME and CHUNKING, a small SIZE limit), which the Node.js test server does not.
/// </summary>
public sealed class DeclaredSizeTests
{
    private static readonly MailboxAddress From = MailboxAddress.Parse("no-reply@acme.test");

    [Fact]
    public async Task SendAsync_BinaryMimeServerAndNulInText_BdatCountsTheBytesSent()
    {
        // Arrange
        // A NUL in the text makes MimeKit pick Content-Transfer-Encoding: binary when the server takes BINARYMIME,
        // and MailKit then sends with BDAT, whose byte count must be the exact size.
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedSmtpServer.Start("250-8BITMIME", "250-BINARYMIME", "250-CHUNKING", "250 SIZE 10000000");
        using var message = SystemMailMessage.Create(new RenderedMail("Your code", "<p>Code 12</p>", "Code 12\u00003456"), From, MailboxAddress.Parse("user@acme.test"), DateTimeOffset.UtcNow);
        using var client = new SystemMailSmtpClient { Timeout = 5_000 };
        await client.ConnectAsync(IPAddress.Loopback.ToString(), server.Port, SecureSocketOptions.None, ct);

        // Act
        await client.SendAsync(message, ct);
        await client.DisconnectAsync(quit: true, ct);
        var transaction = await server.Transaction;

        // Assert
        Assert.True(transaction.Bdat);
        Assert.Equal(transaction.Received, transaction.Declared);
    }

    [Fact]
    public async Task SendAsync_ServerLimitBelowTheEstimate_DeclaresTheMeasuredSize()
    {
        // Arrange
        // The estimate may be several times the real size: a server whose limit lies in between would refuse a mail that fits.
        var ct = TestContext.Current.CancellationToken;
        using var message = SystemMailMessage.Create(new RenderedMail("Your code", "<p>Code 123456</p>", "Code 123456"), From, MailboxAddress.Parse("user@acme.test"), DateTimeOffset.UtcNow);
        var estimate = Assert.IsType<RenderedMimeMessage>(message).SizeEstimate!.Value;
        var limit = (estimate / 2).ToString(CultureInfo.InvariantCulture);
        await using var server = ScriptedSmtpServer.Start("250-8BITMIME", "250 SIZE " + limit);
        using var client = new SystemMailSmtpClient { Timeout = 5_000 };
        await client.ConnectAsync(IPAddress.Loopback.ToString(), server.Port, SecureSocketOptions.None, ct);

        // Act
        var reply = await client.SendAsync(message, ct);
        await client.DisconnectAsync(quit: true, ct);
        var transaction = await server.Transaction;

        // Assert
        Assert.Contains("Queued", reply, StringComparison.Ordinal);
        Assert.False(transaction.Bdat);
        Assert.Equal(transaction.Received, transaction.Declared);
    }

    private sealed record SmtpTransaction(bool Bdat, long? Declared, long Received);

    /// <summary>One connection, one mail: MAIL FROM's SIZE= and the bytes of DATA or BDAT as they arrived.</summary>
    private sealed class ScriptedSmtpServer : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly string[] _ehlo;
        private readonly CancellationTokenSource _stop = new();

        private ScriptedSmtpServer(TcpListener listener, string[] ehlo)
        {
            _listener = listener;
            _ehlo = ehlo;
            Transaction = RunAsync(_stop.Token);
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public Task<SmtpTransaction> Transaction { get; }

        public static ScriptedSmtpServer Start(params string[] ehlo)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return new ScriptedSmtpServer(listener, ehlo);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            try
            {
                await Transaction;
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException or InvalidOperationException)
            {
            }

            _stop.Dispose();
        }

        /// <summary>The SIZE the EHLO reply offers, if any: a larger declared size is refused as a real server does.</summary>
        private long? Limit() =>
            _ehlo.Select(l => l[4..]).FirstOrDefault(l => l.StartsWith("SIZE ", StringComparison.Ordinal)) is { } size
                ? long.Parse(size[5..], CultureInfo.InvariantCulture)
                : null;

        private static async Task WriteAsync(NetworkStream stream, string reply, CancellationToken cancellationToken) =>
            await stream.WriteAsync(Encoding.ASCII.GetBytes(reply + "\r\n"), cancellationToken);

        private static async Task<string> ReadLineAsync(NetworkStream stream, CancellationToken cancellationToken)
        {
            // Byte by byte: BDAT's data follows its command line at once, and must not be read as part of it.
            var line = new StringBuilder();
            var one = new byte[1];
            while (await stream.ReadAsync(one, cancellationToken) == 1 && one[0] != '\n')
            {
                if (one[0] != '\r')
                {
                    line.Append((char)one[0]);
                }
            }

            return line.ToString();
        }

        /// <summary>Reads up to <paramref name="count"/> bytes, stopping when none arrive for a second.</summary>
        private static async Task<long> ReadChunkAsync(NetworkStream stream, long count, CancellationToken cancellationToken)
        {
            var buffer = new byte[8192];
            long received = 0;
            while (received < count)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                idle.CancelAfter(TimeSpan.FromSeconds(1));
                int read;
                try
                {
                    read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count - received)), idle.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                if (read == 0)
                {
                    break;
                }

                received += read;
            }

            return received;
        }

        private static async Task<long> ReadDataAsync(NetworkStream stream, CancellationToken cancellationToken)
        {
            long received = 0;
            while (true)
            {
                var line = await ReadLineAsync(stream, cancellationToken);
                if (line == ".")
                {
                    return received;
                }

                // RFC 1870: the size counts CRLF pairs but not the dots added for transparency.
                received += (line.StartsWith('.') ? line.Length - 1 : line.Length) + 2;
            }
        }

        private async Task<SmtpTransaction> RunAsync(CancellationToken cancellationToken)
        {
            using var socket = await _listener.AcceptSocketAsync(cancellationToken);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            SmtpTransaction? transaction = null;
            long? declared = null;
            await WriteAsync(stream, "220 scripted ESMTP", cancellationToken);
            while (true)
            {
                var line = await ReadLineAsync(stream, cancellationToken);
                var verb = line.Split(' ')[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await WriteAsync(stream, string.Join("\r\n", ["250-scripted", .. _ehlo]), cancellationToken);
                        break;
                    case "MAIL":
                        var size = line.Split(' ').FirstOrDefault(p => p.StartsWith("SIZE=", StringComparison.OrdinalIgnoreCase));
                        declared = size is null ? null : long.Parse(size[5..], CultureInfo.InvariantCulture);
                        await WriteAsync(stream, declared > Limit() ? "552 5.3.4 Message size exceeds fixed maximum message size" : "250 2.1.0 OK", cancellationToken);
                        break;
                    case "RCPT":
                        await WriteAsync(stream, "250 2.1.5 OK", cancellationToken);
                        break;
                    case "DATA":
                        await WriteAsync(stream, "354 Go ahead", cancellationToken);
                        transaction = new SmtpTransaction(false, declared, await ReadDataAsync(stream, cancellationToken));
                        await WriteAsync(stream, "250 2.0.0 Queued", cancellationToken);
                        break;
                    case "BDAT":
                        var count = long.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);
                        var received = await ReadChunkAsync(stream, count, cancellationToken);
                        transaction = new SmtpTransaction(true, count, received);
                        await WriteAsync(stream, "250 2.0.0 Queued", cancellationToken);
                        break;
                    case "QUIT":
                        await WriteAsync(stream, "221 Bye", cancellationToken);
                        return transaction ?? throw new InvalidOperationException("No mail was sent.");
                    case "":
                        return transaction ?? throw new InvalidOperationException("The client left without a mail.");
                    default:
                        await WriteAsync(stream, "502 5.5.2 Not implemented", cancellationToken);
                        break;
                }
            }
        }
    }
}
