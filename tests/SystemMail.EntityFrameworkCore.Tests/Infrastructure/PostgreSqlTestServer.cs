using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using Npgsql;

namespace SystemMail.EntityFrameworkCore.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL (Debian's <c>postgresql</c> package) as a private cluster in a temporary folder, listening on a
/// free port of 127.0.0.1 only, with a random password; stopped and deleted on dispose.
/// </summary>
/// <remarks>
/// <c>initdb</c> and <c>postgres</c> refuse to run as root. As root, the cluster's folder is given to the
/// <c>postgres</c> account (which the package creates) and the binaries run as that account through <c>runuser</c>;
/// as any other user they run as that user. The machine's own cluster, if any, is never touched: no Unix socket, no
/// shared folder, no service.
/// </remarks>
public sealed class PostgreSqlTestServer : IAsyncDisposable
{
    private const string Superuser = "postgres";
    private const string RootRunsAs = "postgres";

    private readonly string _bin;
    private readonly string _folder;
    private readonly string? _runAs;
    private readonly string _password;
    private bool _running;

    private PostgreSqlTestServer(string bin, string folder, string? runAs, string password)
    {
        _bin = bin;
        _folder = folder;
        _runAs = runAs;
        _password = password;
    }

    public int Port { get; private set; }

    private string DataFolder => Path.Combine(_folder, "data");

    /// <summary>Creates the cluster and starts it.</summary>
    /// <exception cref="InvalidOperationException">PostgreSQL is not installed, or did not start (its log is in the message).</exception>
    public static async Task<PostgreSqlTestServer> StartAsync(CancellationToken cancellationToken = default)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The PostgreSQL tests start Debian's postgresql package: they run on Linux.");
        }

        var bin = FindBinaries()
            ?? throw new InvalidOperationException(
                "PostgreSQL was not found (no /usr/lib/postgresql/*/bin/initdb). The EF Core store tests run against a real PostgreSQL: " +
                "run tests/prerequisites.sh (or apt-get install postgresql).");
        string? runAs = null;
        if (Environment.IsPrivilegedProcess)
        {
            runAs = RootRunsAs;
            if (!File.Exists("/usr/sbin/runuser") && !File.Exists("/usr/bin/runuser") && !File.Exists("/sbin/runuser"))
            {
                throw new InvalidOperationException("The tests run as root and PostgreSQL refuses root: runuser (util-linux) is needed to run it as the postgres account.");
            }
        }

        var folder = CreateFolder(runAs);
        var server = new PostgreSqlTestServer(bin, folder, runAs, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        try
        {
            await server.InitializeAsync(cancellationToken);
            await server.StartListeningAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates an empty database.</summary>
    /// <returns>Its connection string.</returns>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        var name = "systemmail_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return ConnectionString(name);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_running)
        {
            _running = false;
            try
            {
                await RunAsync("pg_ctl", ["stop", "-D", DataFolder, "-m", "immediate", "-w", "-t", "60"], CancellationToken.None);
            }
            catch (InvalidOperationException)
            {
                // Deleting the folder below still frees the disk; the message of a failed stop helps nobody here.
            }
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Database = database,
        Username = Superuser,
        Password = _password,
        // Up to the 20 writers of the concurrency tests and the reads around them.
        MaxPoolSize = 40,
    }.ConnectionString;

    [SupportedOSPlatform("linux")]
    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var passwordFile = Path.Combine(_folder, "password");
        await File.WriteAllTextAsync(passwordFile, _password, cancellationToken);
        Give(passwordFile);
        try
        {
            await RunAsync(
                "initdb",
                ["-D", DataFolder, "-U", Superuser, "--pwfile", passwordFile, "--auth", "scram-sha-256", "--encoding", "UTF8", "--no-locale", "--no-sync", "--no-instructions"],
                cancellationToken);
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    /// <summary>Starts the server on a free port; another process may take the port first, so a failed start tries another.</summary>
    private async Task StartListeningAsync(CancellationToken cancellationToken)
    {
        var configuration = Path.Combine(DataFolder, "postgresql.conf");
        var original = await File.ReadAllTextAsync(configuration, cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            Port = GetUnusedPort();
            // Appended settings win over the defaults above them; the file keeps its owner when root writes it.
            await File.WriteAllTextAsync(
                configuration,
                original + string.Create(CultureInfo.InvariantCulture, $"""

                    listen_addresses = '127.0.0.1'
                    port = {Port}
                    unix_socket_directories = ''
                    fsync = off
                    synchronous_commit = off
                    full_page_writes = off
                    """),
                cancellationToken);
            try
            {
                await RunAsync("pg_ctl", ["start", "-D", DataFolder, "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "60"], cancellationToken);
                _running = true;
                return;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
            }
            catch (InvalidOperationException ex)
            {
                var log = File.Exists(Path.Combine(_folder, "server.log")) ? await File.ReadAllTextAsync(Path.Combine(_folder, "server.log"), cancellationToken) : "(no log)";
                throw new InvalidOperationException($"PostgreSQL did not start on 127.0.0.1:{Port}. {ex.Message}\nServer log:\n{log}", ex);
            }
        }
    }

    private static string? FindBinaries()
    {
        if (!Directory.Exists("/usr/lib/postgresql"))
        {
            return null;
        }

        // The newest installed major version, as Debian's own wrappers pick it.
        return Directory.GetDirectories("/usr/lib/postgresql")
            .Select(d => (Folder: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1))
            .Where(c => File.Exists(Path.Combine(c.Folder, "initdb")) && File.Exists(Path.Combine(c.Folder, "pg_ctl")))
            .OrderByDescending(c => c.Version)
            .Select(c => c.Folder)
            .FirstOrDefault();
    }

    /// <summary>
    /// A new folder for the cluster. As root, the account that runs PostgreSQL must reach it: the temporary folder is
    /// used when every folder above it lets others through (a TMPDIR under /root does not), else /tmp.
    /// </summary>
    [SupportedOSPlatform("linux")]
    private static string CreateFolder(string? runAs)
    {
        var parent = Path.GetTempPath();
        if (runAs is not null && !TraversableByOthers(parent))
        {
            parent = "/tmp";
        }

        var folder = Path.Combine(parent, "systemmail-postgres-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (runAs is not null)
        {
            RunChown(runAs, folder);
        }

        return folder;
    }

    [SupportedOSPlatform("linux")]
    private static bool TraversableByOthers(string path)
    {
        for (var directory = new DirectoryInfo(path); directory is not null; directory = directory.Parent)
        {
            if ((directory.UnixFileMode & UnixFileMode.OtherExecute) == 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Makes a file readable by the account PostgreSQL runs as, and by no one else.</summary>
    [SupportedOSPlatform("linux")]
    private void Give(string path)
    {
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (_runAs is not null)
        {
            RunChown(_runAs, path);
        }
    }

    private static void RunChown(string user, string path)
    {
        using var chown = Process.Start(new ProcessStartInfo("chown") { ArgumentList = { user, path }, RedirectStandardError = true })
            ?? throw new InvalidOperationException("chown did not start.");
        var error = chown.StandardError.ReadToEnd();
        chown.WaitForExit();
        if (chown.ExitCode != 0)
        {
            throw new InvalidOperationException($"chown {user} {path} failed ({chown.ExitCode}): {error} (PostgreSQL runs as the {user} account when the tests run as root; is the postgresql package installed?)");
        }
    }

    /// <summary>Runs one of PostgreSQL's programs (as <see cref="_runAs"/> when set) and throws with its output when it fails.</summary>
    private async Task RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(_runAs is null ? Path.Combine(_bin, program) : "runuser")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // pg_ctl's server must not inherit the test host's folder: it may be one the postgres account cannot read.
            WorkingDirectory = _folder,
        };
        if (_runAs is not null)
        {
            foreach (var argument in new[] { "-u", _runAs, "--", Path.Combine(_bin, program) })
            {
                startInfo.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"{program} did not start.");
        // Only the program's exit is awaited: pg_ctl returns while the server it started runs on (its output goes to the log).
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}{await output}");
        }
    }

    private static int GetUnusedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
