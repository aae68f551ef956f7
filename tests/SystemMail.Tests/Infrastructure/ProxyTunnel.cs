namespace SystemMail.Tests.Infrastructure;

/// <summary>
/// One tunnel a <see cref="ProxyTestServer"/> opened: the target the client asked for, and how many bytes went
/// through it each way (counted while the tunnel is open).
/// </summary>
public sealed class ProxyTunnel
{
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _bytesToTarget;
    private long _bytesToClient;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="host">The target host as the client asked for it: an IP address or a host name.</param>
    /// <param name="port">The target port.</param>
    /// <param name="username">The user name the client authenticated with, or <see langword="null"/>.</param>
    public ProxyTunnel(string host, int port, string? username)
    {
        Host = host;
        Port = port;
        Username = username;
    }

    /// <summary>Gets the target host as the client asked for it.</summary>
    public string Host { get; }

    /// <summary>Gets the target port.</summary>
    public int Port { get; }

    /// <summary>Gets the target as <c>host:port</c>.</summary>
    public string Target => $"{Host}:{Port}";

    /// <summary>Gets the user name the client authenticated with, or <see langword="null"/>. The password is never recorded.</summary>
    public string? Username { get; }

    /// <summary>Gets how many bytes went from the client to the target.</summary>
    public long BytesToTarget => Interlocked.Read(ref _bytesToTarget);

    /// <summary>Gets how many bytes went from the target to the client.</summary>
    public long BytesToClient => Interlocked.Read(ref _bytesToClient);

    /// <summary>Gets a task that completes when the tunnel has closed on both sides.</summary>
    public Task Closed => _closed.Task;

    /// <inheritdoc />
    public override string ToString() => $"{Target} ({BytesToTarget} bytes out, {BytesToClient} bytes back)";

    internal void AddToTarget(int count) => Interlocked.Add(ref _bytesToTarget, count);

    internal void AddToClient(int count) => Interlocked.Add(ref _bytesToClient, count);

    internal void MarkClosed() => _closed.TrySetResult();
}
