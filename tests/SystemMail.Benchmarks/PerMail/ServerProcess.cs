using System.Diagnostics;
using System.Globalization;
using System.Net;
using SystemMail.Benchmarks.Mail;
using SystemMail.Benchmarks.Server;

namespace SystemMail.Benchmarks.PerMail;

/// <summary>
/// The benchmark server in a child process (this program with <c>--serve</c>), so that the allocation figures of
/// the send benchmarks count the client alone. The child stops when its standard input closes.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private const string ReadyPrefix = "listening ";
    private readonly Process _process;

    private ServerProcess(Process process, IPEndPoint endpoint, string thumbprint)
    {
        _process = process;
        Endpoint = endpoint;
        Thumbprint = thumbprint;
    }

    public IPEndPoint Endpoint { get; }

    public string Thumbprint { get; }

    public static async Task<ServerProcess> StartAsync(CancellationToken cancellationToken)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("The benchmark's own path is unknown.");
        var start = new ProcessStartInfo(self)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            // Run through the muxer (dotnet SystemMail.Benchmarks.dll): start the same assembly again.
            start.ArgumentList.Add(typeof(ServerProcess).Assembly.Location);
        }

        start.ArgumentList.Add("--serve");
        var process = Process.Start(start) ?? throw new InvalidOperationException("The server process did not start.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var line = await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false);
        if (line is null || !line.StartsWith(ReadyPrefix, StringComparison.Ordinal))
        {
            process.Kill();
            throw new InvalidOperationException($"The server process said '{line}' instead of where it listens.");
        }

        var parts = line[ReadyPrefix.Length..].Split(' ');
        var endpoint = new IPEndPoint(IPAddress.Parse(parts[0]), int.Parse(parts[1], CultureInfo.InvariantCulture));
        var server = new ServerProcess(process, endpoint, parts[2]);
        await server.WarmUpAsync(cancellationToken).ConfigureAwait(false);
        return server;
    }

    /// <summary>The child's side: serve until standard input closes.</summary>
    public static async Task<int> ServeAsync()
    {
        await using var server = await BenchmarkSmtpServer.StartAsync().ConfigureAwait(false);
        Console.Out.WriteLine($"{ReadyPrefix}{server.Host} {server.Port} {server.Certificate.Sha256Thumbprint}");
        Console.Out.Flush();
        await Console.In.ReadToEndAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>Sends mail until the child's code is compiled at its final tier, so no benchmark pays for its JIT.</summary>
    private async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        var message = ActivationMail.Build(ActivationMail.Render(ActivationMail.CreateRenderer()));
        using var client = await RawMailKit.ConnectAsync(Endpoint, ServerCertificate.Pin(Thumbprint), cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < 1000; i++)
        {
            await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }

        await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
        }

        _process.Dispose();
    }
}
