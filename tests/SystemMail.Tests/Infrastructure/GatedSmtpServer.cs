using System.Net.Sockets;
using System.Text;

namespace SystemMail.Tests.Infrastructure;

/// <summary>
/// A minimal plain SMTP server on 127.0.0.1 (no TLS, no AUTH) whose greeting and whose reply to the end of DATA wait
/// for the test to open a gate: a server that holds a connection exactly as long as the test needs.
/// </summary>
public sealed class GatedSmtpServer : LoopbackTcpServer
{
    private readonly TaskCompletionSource _greeting = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _dataReply = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _dataReceived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private GatedSmtpServer()
    {
    }

    /// <summary>Gets a task that completes when a whole message has arrived (its reply waits for <see cref="OpenDataReply"/>).</summary>
    public Task DataReceived => _dataReceived.Task;

    public static GatedSmtpServer Start()
    {
        var server = new GatedSmtpServer();
        server.Listen();
        return server;
    }

    public void OpenGreeting() => _greeting.TrySetResult();

    public void OpenDataReply() => _dataReply.TrySetResult();

    protected override void OnStopping()
    {
        OpenGreeting();
        OpenDataReply();
    }

    protected override async Task ServeAsync(Socket socket, CancellationToken cancellationToken)
    {
        try
        {
            using var stream = new NetworkStream(socket, ownsSocket: true);
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await _greeting.Task.WaitAsync(cancellationToken);
            await WriteAsync(stream, "220 gated.test ESMTP", cancellationToken);
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await WriteAsync(stream, "250-gated.test\r\n250 8BITMIME", cancellationToken);
                        break;
                    case "DATA":
                        await WriteAsync(stream, "354 End data with <CR><LF>.<CR><LF>", cancellationToken);
                        while (await reader.ReadLineAsync(cancellationToken) is { } content && content != ".")
                        {
                        }

                        _dataReceived.TrySetResult();
                        await _dataReply.Task.WaitAsync(cancellationToken);
                        await WriteAsync(stream, "250 2.0.0 Ok: queued", cancellationToken);
                        break;
                    case "QUIT":
                        await WriteAsync(stream, "221 Bye", cancellationToken);
                        return;
                    default:
                        await WriteAsync(stream, "250 OK", cancellationToken);
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }
    }

    private static Task WriteAsync(Stream stream, string reply, CancellationToken cancellationToken) =>
        stream.WriteAsync(Encoding.ASCII.GetBytes(reply + "\r\n"), cancellationToken).AsTask();
}
