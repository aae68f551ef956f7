using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MimeKit;

namespace SystemMail.Tests.Infrastructure;

/// <summary>
/// A real SMTP server on 127.0.0.1 (tests/TestServers/smtp/server.mjs, the npm package smtp-server on Node.js),
/// on a port the operating system picks, with an HTTP control API for what it received and how it behaves.
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly Process _process;
    private readonly HttpClient _control;
    private readonly DirectoryInfo _workDirectory;
    private readonly StringBuilder _stderr;
    private bool _disposed;

    private SmtpTestServer(Process process, StringBuilder stderr, DirectoryInfo workDirectory, int port, int controlPort, SmtpTestServerOptions options, TestCertificate certificate)
    {
        _process = process;
        _stderr = stderr;
        _workDirectory = workDirectory;
        Port = port;
        ControlPort = controlPort;
        Options = options;
        TestCertificate = certificate;
        _control = new HttpClient(new SocketsHttpHandler { UseProxy = false })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{controlPort}/"),
            Timeout = TimeSpan.FromSeconds(15),
        };
    }

    /// <summary>Gets the address the server listens on.</summary>
    public string Host => "127.0.0.1";

    /// <summary>Gets the SMTP port.</summary>
    public int Port { get; }

    /// <summary>Gets the control API's port.</summary>
    public int ControlPort { get; }

    /// <summary>Gets the options the server started with.</summary>
    public SmtpTestServerOptions Options { get; }

    /// <summary>Gets the server's certificate with the PEM it was given.</summary>
    public TestCertificate TestCertificate { get; }

    /// <summary>Gets the certificate the server presents (public part only).</summary>
    public X509Certificate2 Certificate => TestCertificate.Certificate;

    /// <summary>Gets what the server wrote to stderr so far, for failure messages.</summary>
    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts a server and waits until it listens.</summary>
    /// <param name="options">How it starts; defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server.</returns>
    /// <exception cref="InvalidOperationException">Node.js or the server's packages are missing, or the server did not start.</exception>
    public static async Task<SmtpTestServer> StartAsync(SmtpTestServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SmtpTestServerOptions();
        var directory = TestServerPaths.SmtpServerDirectory;
        var node = TestServerPaths.FindNode();
        var certificate = options.Certificate ?? TestCertificate.Localhost;

        var workDirectory = Directory.CreateTempSubdirectory("systemmail-smtp-");
        var keyPath = Path.Combine(workDirectory.FullName, "key.pem");
        var certPath = Path.Combine(workDirectory.FullName, "cert.pem");
        await File.WriteAllTextAsync(keyPath, certificate.PrivateKeyPem, cancellationToken);
        await File.WriteAllTextAsync(certPath, certificate.CertificatePem, cancellationToken);
        object? introspection = null;
        if (options.XOAuth2Issuer is { } issuer)
        {
            var caPath = Path.Combine(workDirectory.FullName, "issuer.pem");
            await File.WriteAllTextAsync(caPath, issuer.Certificate.ExportCertificatePem(), cancellationToken);
            introspection = new { url = issuer.IntrospectionEndpoint.AbsoluteUri, caPath };
        }

        var config = new
        {
            secure = options.ImplicitTls,
            starttls = options.OfferStartTls,
            hideStartTls = options.HideStartTls,
            authMethods = options.AuthMethods,
            authOptional = options.AuthOptional,
            authDisabled = options.AuthDisabled,
            allowInsecureAuth = options.AllowInsecureAuth,
            users = options.Users,
            xoauth2Tokens = options.XOAuth2Tokens,
            xoauth2Introspection = introspection,
            keyPath,
            certPath,
            size = options.MaxMessageSize,
            enhancedStatusCodes = options.EnhancedStatusCodes,
            minTlsVersion = options.MinTlsVersion,
            maxTlsVersion = options.MaxTlsVersion,
            ciphers = options.Ciphers,
            hideSmtpUtf8 = options.HideSmtpUtf8,
            disableReverseLookup = true,
        };

        var startInfo = new ProcessStartInfo(node)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        startInfo.ArgumentList.Add(Path.Combine(directory, "server.mjs"));
        startInfo.ArgumentList.Add(JsonSerializer.Serialize(config, Json));

        var stderr = new StringBuilder();
        var process = new Process { StartInfo = startInfo };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };

        try
        {
            if (!process.Start())
            {
                throw new InvalidOperationException($"'{node}' did not start.");
            }

            process.BeginErrorReadLine();

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(StartTimeout);
            string? line;
            try
            {
                line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new InvalidOperationException($"The SMTP test server did not report ready within {StartTimeout.TotalSeconds} s. Its stderr: {Read(stderr)}");
            }

            if (line is null)
            {
                await process.WaitForExitAsync(cancellationToken);
                throw new InvalidOperationException($"The SMTP test server exited with code {process.ExitCode} before it was ready. Its stderr: {Read(stderr)}");
            }

            var ready = JsonSerializer.Deserialize<ReadyLine>(line, Json)
                ?? throw new InvalidOperationException($"The SMTP test server's ready line is not JSON: {line}");
            return new SmtpTestServer(process, stderr, workDirectory, ready.SmtpPort, ready.ControlPort, options, certificate);
        }
        catch
        {
            Stop(process);
            process.Dispose();
            workDirectory.Delete(recursive: true);
            throw;
        }
    }

    /// <summary>Gets every message accepted since the start or the last <see cref="ClearAsync"/>, in order.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The messages, parsed with MimeKit.</returns>
    public async Task<IReadOnlyList<ReceivedMail>> GetMessagesAsync(CancellationToken cancellationToken = default)
    {
        var messages = await _control.GetFromJsonAsync<List<MessageDto>>("messages", Json, cancellationToken) ?? [];
        var result = new List<ReceivedMail>(messages.Count);
        foreach (var dto in messages)
        {
            using var stream = new MemoryStream(Convert.FromBase64String(dto.RawBase64));
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            result.Add(new ReceivedMail(dto.Id, dto.ConnectionId, dto.Secure, dto.User, dto.MailFrom, dto.RcptTo, dto.Raw, message)
            {
                ReceivedAt = DateTimeOffset.FromUnixTimeMilliseconds(dto.ReceivedAt),
                Size = dto.Size,
                DeclaredSize = dto.DeclaredSize,
            });
        }

        return result;
    }

    /// <summary>Forgets the messages received so far.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the server forgot them.</returns>
    public async Task ClearAsync(CancellationToken cancellationToken = default)
    {
        using var response = await _control.DeleteAsync("messages", cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Puts messages, counters, behaviour and XOAUTH2 tokens back to how the server started.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the server was reset.</returns>
    public async Task ResetAsync(CancellationToken cancellationToken = default)
    {
        using var response = await _control.PostAsync("reset", content: null, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Gets the server's counters.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The counters.</returns>
    public async Task<SmtpTestServerStats> GetStatsAsync(CancellationToken cancellationToken = default) =>
        await _control.GetFromJsonAsync<SmtpTestServerStats>("stats", Json, cancellationToken)
        ?? throw new InvalidOperationException("The SMTP test server returned no stats.");

    /// <summary>Polls the counters until <paramref name="condition"/> holds, for what happens after the client returned (a QUIT).</summary>
    /// <param name="condition">What the counters must show.</param>
    /// <param name="timeout">How long to wait at most.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The counters that satisfied the condition.</returns>
    /// <exception cref="TimeoutException">The condition did not hold in time.</exception>
    public async Task<SmtpTestServerStats> WaitForStatsAsync(Func<SmtpTestServerStats, bool> condition, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var stats = await GetStatsAsync(cancellationToken);
            if (condition(stats))
            {
                return stats;
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"The SMTP test server's counters did not reach the expected state within {timeout.TotalSeconds} s; last: {JsonSerializer.Serialize(stats, Json)}");
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>Resets the counters; open connections stay counted.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the counters were reset.</returns>
    public async Task ResetStatsAsync(CancellationToken cancellationToken = default)
    {
        using var response = await _control.DeleteAsync("stats", cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Replaces the server's run-time behaviour; <c>new SmtpTestServerBehaviour()</c> restores the normal one.</summary>
    /// <param name="behaviour">The behaviour.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the server applies it.</returns>
    public async Task SetBehaviourAsync(SmtpTestServerBehaviour behaviour, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(behaviour);
        using var response = await _control.PostAsJsonAsync("behaviour", behaviour, Json, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Sets the only access tokens XOAUTH2 accepts from now on; any other gets the XOAUTH2 error challenge and 535.</summary>
    /// <param name="tokens">The accepted tokens.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the server applies them.</returns>
    public async Task SetXOAuth2TokensAsync(IEnumerable<string> tokens, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        using var response = await _control.PostAsJsonAsync("xoauth2-tokens", new { tokens = tokens.ToArray() }, Json, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _control.Dispose();
        try
        {
            // The server exits when its stdin closes; killing is the fallback.
            _process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
        {
            Stop(_process);
        }
        finally
        {
            _process.Dispose();
            try
            {
                _workDirectory.Delete(recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }
    }

    private static string Read(StringBuilder stderr)
    {
        // Give the stderr reader a moment to collect the last lines of a process that just exited.
        Thread.Sleep(100);
        lock (stderr)
        {
            return stderr.Length == 0 ? "(empty)" : stderr.ToString();
        }
    }

    private sealed record ReadyLine(int SmtpPort, int ControlPort);

    private sealed record MessageDto(
        int Id,
        string ConnectionId,
        bool Secure,
        string? User,
        string? MailFrom,
        List<string> RcptTo,
        int Size,
        long? DeclaredSize,
        string Raw,
        string RawBase64,
        long ReceivedAt);
}
