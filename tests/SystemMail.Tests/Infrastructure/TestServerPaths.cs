namespace SystemMail.Tests.Infrastructure;

/// <summary>Finds the test servers' sources and the tools that run them.</summary>
public static class TestServerPaths
{
    /// <summary>Gets the repository root: the first directory above the test binaries that holds SystemMail.sln.</summary>
    /// <exception cref="InvalidOperationException">No such directory.</exception>
    public static string RepositoryRoot
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "SystemMail.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException(
                $"No directory above {AppContext.BaseDirectory} holds SystemMail.sln; the integration tests run from the repository's build output.");
        }
    }

    /// <summary>Gets the SMTP test server's directory, checking that its npm packages are installed.</summary>
    /// <exception cref="InvalidOperationException">The directory or its node_modules is missing.</exception>
    public static string SmtpServerDirectory
    {
        get
        {
            var directory = Path.Combine(RepositoryRoot, "tests", "TestServers", "smtp");
            if (!File.Exists(Path.Combine(directory, "server.mjs")))
            {
                throw new InvalidOperationException($"The SMTP test server is missing: {Path.Combine(directory, "server.mjs")} does not exist.");
            }

            if (!File.Exists(Path.Combine(directory, "node_modules", "smtp-server", "package.json")))
            {
                throw new InvalidOperationException(
                    $"The SMTP test server's npm packages are not installed in {directory}. The test build installs them " +
                    "(target InstallSmtpTestServer); run `dotnet build` again, or `npm ci` in that directory.");
            }

            return directory;
        }
    }

    /// <summary>Finds the <c>node</c> executable on PATH.</summary>
    /// <returns>Its full path.</returns>
    /// <exception cref="InvalidOperationException">Node.js is not on PATH.</exception>
    public static string FindNode()
    {
        var names = OperatingSystem.IsWindows() ? new[] { "node.exe", "node.cmd" } : ["node"];
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in names)
            {
                var candidate = Path.Combine(directory.Trim('"'), name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new InvalidOperationException(
            "Node.js was not found on PATH. The SMTP integration tests run a real SMTP server on Node.js 20 or later " +
            "(Debian: apt-get install nodejs npm).");
    }
}
