using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace SystemMail.Benchmarks.Server;

/// <summary>
/// A private Postfix instance on 127.0.0.1, the real mail server the issue measured: its own configuration, queue and
/// log in one folder, STARTTLS with the benchmark's certificate, AUTH PLAIN/LOGIN against a Cyrus SASL database,
/// PIPELINING offered (Postfix's default), every mail accepted into the queue and then discarded.
/// </summary>
/// <remarks>
/// The queue lives on tmpfs (<c>/dev/shm</c>) when there is one: on disk, Postfix's fsync of each queue file is most
/// of the time a mail takes, and the benchmark would measure the disk. Starting Postfix needs root. The machine's
/// own Postfix, configured or not, is not touched (checked with and without an <c>/etc/postfix/main.cf</c>).
/// </remarks>
internal sealed class PostfixServer : IBenchmarkServer, IAsyncDisposable
{
    private const string Realm = "systemmail.test";
    private const string QueuedBy = "postfix/qmgr[";
    private const string QueuedMarker = ", nrcpt=";
    private const string FolderPrefix = "systemmail-postfix-";

    private readonly string _root;
    private readonly string _config;
    private readonly string _maillog;
    private readonly ServerCertificate _certificate;
    private long _received;
    private long _logOffset;

    private PostfixServer(string root, ServerCertificate certificate, IPEndPoint endpoint, string version)
    {
        _root = root;
        _config = Path.Combine(root, "etc");
        _maillog = Path.Combine(root, "maillog");
        _certificate = certificate;
        Endpoint = endpoint;
        Version = version;
    }

    public IPEndPoint Endpoint { get; }

    /// <summary>Gets Postfix's version, as <c>postconf</c> reports it.</summary>
    public string Version { get; }

    /// <summary>Gets whether the queue is on tmpfs.</summary>
    public bool QueueInMemory => _root.StartsWith("/dev/shm/", StringComparison.Ordinal);

    public string Description => $"Postfix {Version} on 127.0.0.1, queue on {(QueueInMemory ? "tmpfs" : "disk")}, discard transport";

    /// <summary>Gets <see langword="null"/>: Postfix's log does not say how the commands arrived.</summary>
    public PipeliningProbe? Probe => null;

    /// <summary>Gets what is missing to start Postfix here, or <see langword="null"/> when it can be started.</summary>
    public static string? Unavailable()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "the Postfix scenario runs on Linux only";
        }

        if (Tool("postfix") is null || Tool("saslpasswd2") is null)
        {
            return "Postfix or Cyrus SASL is not installed (Debian: apt-get install postfix sasl2-bin libsasl2-modules)";
        }

        return Environment.IsPrivilegedProcess ? null : "starting Postfix needs root";
    }

    /// <summary>Writes the instance's configuration, starts it on a free loopback port and waits for its greeting.</summary>
    public static async Task<PostfixServer> StartAsync(CancellationToken cancellationToken = default)
    {
        if (Unavailable() is { } missing)
        {
            throw new InvalidOperationException($"Cannot run the Postfix scenario: {missing}. Pass --no-postfix to leave it out.");
        }

        var parent = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        await StopOrphansAsync(parent, cancellationToken).ConfigureAwait(false);
        var root = Path.Combine(parent, $"{FolderPrefix}{Environment.ProcessId}");
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        var certificate = ServerCertificate.Create();
        try
        {
            var port = FreePort();
            var config = Path.Combine(root, "etc");
            Directory.CreateDirectory(Path.Combine(config, "sasl"));
            Directory.CreateDirectory(Path.Combine(root, "data"));
            Directory.CreateDirectory(Path.Combine(root, "queue"));
            await RunAsync("chown", ["postfix", Path.Combine(root, "data")], null, cancellationToken).ConfigureAwait(false);

            await File.WriteAllTextAsync(Path.Combine(config, "cert.pem"), certificate.WithPrivateKey.ExportCertificatePem(), cancellationToken).ConfigureAwait(false);
            var key = Path.Combine(config, "key.pem");
            await File.WriteAllTextAsync(key, certificate.PrivateKeyPem(), cancellationToken).ConfigureAwait(false);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            await File.WriteAllTextAsync(Path.Combine(config, "main.cf"), MainCf(root, config), cancellationToken).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(config, "master.cf"), MasterCf(port), cancellationToken).ConfigureAwait(false);

            // Debian's Cyrus SASL reads <config_directory>/sasl/smtpd.conf.
            var sasldb = Path.Combine(config, "sasl", "sasldb2");
            await File.WriteAllTextAsync(
                Path.Combine(config, "sasl", "smtpd.conf"),
                $"pwcheck_method: auxprop\nauxprop_plugin: sasldb\nmech_list: PLAIN LOGIN\nsasldb_path: {sasldb}\n",
                cancellationToken).ConfigureAwait(false);
            var user = BenchmarkSmtpServer.User.Split('@')[0];
            await RunAsync(Tool("saslpasswd2")!, ["-p", "-c", "-f", sasldb, "-u", Realm, user], BenchmarkSmtpServer.Password, cancellationToken).ConfigureAwait(false);
            await RunAsync("chown", ["postfix", sasldb], null, cancellationToken).ConfigureAwait(false);

            var version = (await RunAsync(Tool("postconf")!, ["-c", config, "-h", "mail_version"], null, cancellationToken).ConfigureAwait(false)).Trim();
            var server = new PostfixServer(root, certificate, new IPEndPoint(IPAddress.Loopback, port), version);
            try
            {
                await server.PostfixAsync("start", cancellationToken).ConfigureAwait(false);
                await server.WaitForGreetingAsync(cancellationToken).ConfigureAwait(false);
                return server;
            }
            catch
            {
                await server.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        catch
        {
            certificate.Dispose();
            TryDelete(root);
            throw;
        }
    }

    public RemoteCertificateValidationCallback Pin() => _certificate.Pin();

    /// <summary>
    /// Stops the instances of benchmark runs that ended without stopping theirs (killed, or interrupted with Ctrl+C),
    /// so no Postfix outlives its run for longer than the next one.
    /// </summary>
    private static async Task StopOrphansAsync(string parent, CancellationToken cancellationToken)
    {
        foreach (var folder in Directory.EnumerateDirectories(parent, FolderPrefix + "*"))
        {
            if (int.TryParse(Path.GetFileName(folder).AsSpan(FolderPrefix.Length), out var pid) && IsRunning(pid))
            {
                continue;
            }

            try
            {
                await RunAsync(Tool("postfix")!, ["-c", Path.Combine(folder, "etc"), "stop"], null, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                // Not running any more.
            }

            TryDelete(folder);
        }
    }

    /// <summary>Deletes a folder of the temporary file system if it can: a daemon still exiting may hold it a moment longer.</summary>
    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"Could not delete {folder}: {ex.Message}");
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// Counts the mails Postfix's queue manager logged as queued ("from=..., size=..., nrcpt=..."): one line per mail
    /// committed to the queue, none for an aborted DATA. The line comes after the 250 reply, so the count may trail
    /// the last reply by a few milliseconds.
    /// </summary>
    public async Task<long> CountReceivedAsync(long expected, CancellationToken cancellationToken = default)
    {
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 10;
        while (true)
        {
            ReadNewLogLines();
            if (_received >= expected || Stopwatch.GetTimestamp() > deadline)
            {
                return _received;
            }

            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await PostfixAsync("stop", CancellationToken.None).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Not running: nothing to stop.
        }

        _certificate.Dispose();
        TryDelete(_root);
    }

    private void ReadNewLogLines()
    {
        if (!File.Exists(_maillog))
        {
            return;
        }

        using var stream = new FileStream(_maillog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Seek(_logOffset, SeekOrigin.Begin);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        // Only whole lines: a line still being written is read again next time.
        var whole = bytes.LastIndexOf((byte)'\n') + 1;
        foreach (var line in Encoding.UTF8.GetString(bytes[..whole]).Split('\n'))
        {
            if (line.Contains(QueuedBy, StringComparison.Ordinal) && line.Contains(QueuedMarker, StringComparison.Ordinal))
            {
                _received++;
            }
        }

        _logOffset += whole;
    }

    private async Task PostfixAsync(string command, CancellationToken cancellationToken)
    {
        try
        {
            await RunAsync(Tool("postfix")!, ["-c", _config, command], null, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException ex)
        {
            // Postfix writes its reasons to its log, not to a terminal-less stderr.
            var log = File.Exists(_maillog) ? string.Join(Environment.NewLine, File.ReadLines(_maillog).TakeLast(5)) : "(no log)";
            throw new InvalidOperationException($"{ex.Message}{Environment.NewLine}Postfix's log:{Environment.NewLine}{log}", ex);
        }
    }

    private async Task WaitForGreetingAsync(CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 15;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(Endpoint, cancellationToken).ConfigureAwait(false);
                using var reader = new StreamReader(client.GetStream(), Encoding.ASCII);
                var greeting = await reader.ReadLineAsync(cancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
                if (greeting?.StartsWith("220 ", StringComparison.Ordinal) == true)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is SocketException or IOException or TimeoutException && Stopwatch.GetTimestamp() < deadline)
            {
                // smtpd still starting.
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new InvalidOperationException($"Postfix did not greet on {Endpoint} within 15 s.");
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string MainCf(string root, string config) => $"""
        compatibility_level = 3.6
        queue_directory = {Path.Combine(root, "queue")}
        data_directory = {Path.Combine(root, "data")}
        maillog_file_prefixes = {root}
        maillog_file = {Path.Combine(root, "maillog")}
        mail_owner = postfix
        setgid_group = postdrop
        inet_interfaces = 127.0.0.1
        inet_protocols = ipv4
        myhostname = postfix.{Realm}
        mydomain = {Realm}
        myorigin = {Realm}
        mydestination =
        mynetworks = 127.0.0.0/8
        biff = no
        smtpd_relay_restrictions = permit_sasl_authenticated, reject_unauth_destination
        default_transport = discard
        relay_transport = discard
        local_transport = discard
        smtpd_tls_security_level = may
        smtpd_tls_auth_only = yes
        smtpd_tls_cert_file = {Path.Combine(config, "cert.pem")}
        smtpd_tls_key_file = {Path.Combine(config, "key.pem")}
        smtpd_sasl_auth_enable = yes
        smtpd_sasl_type = cyrus
        smtpd_sasl_path = smtpd
        smtpd_sasl_local_domain = {Realm}
        message_size_limit = 10240000
        """;

    /// <summary>Only the services a mail accepted over SMTP and discarded needs; none chrooted, so SASL finds its database.</summary>
    private static string MasterCf(int port) => $"""
        127.0.0.1:{port} inet n - n - - smtpd
        cleanup   unix n - n - 0 cleanup
        qmgr      unix n - n 300 1 qmgr
        rewrite   unix - - n - - trivial-rewrite
        bounce    unix - - n - 0 bounce
        defer     unix - - n - 0 bounce
        trace     unix - - n - 0 bounce
        verify    unix - - n - 1 verify
        flush     unix n - n 1000? 0 flush
        proxymap  unix - - n - - proxymap
        showq     unix n - n - - showq
        error     unix - - n - - error
        retry     unix - - n - - error
        discard   unix - - n - - discard
        anvil     unix - - n - 1 anvil
        scache    unix - - n - 1 scache
        tlsmgr    unix - - n 1000? 1 tlsmgr
        postlog   unix-dgram n - n - 1 postlogd

        """;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? Tool(string name) =>
        new[] { "/usr/sbin", "/usr/bin", "/sbin", "/bin" }
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    private static async Task<string> RunAsync(string file, string[] arguments, string? input, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input).ConfigureAwait(false);
        }

        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{Path.GetFileName(file)} {string.Join(' ', arguments)}' exited with {process.ExitCode}: {(await error.ConfigureAwait(false)).Trim()}");
        }

        return await output.ConfigureAwait(false);
    }
}
