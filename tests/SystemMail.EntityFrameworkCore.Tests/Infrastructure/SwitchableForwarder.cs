using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace SystemMail.EntityFrameworkCore.Tests.Infrastructure;

/// <summary>
/// A TCP forwarder on a fixed loopback port in front of a loopback server, that can be taken down (the port refuses
/// connections and open ones are cut, as when the mail server is away) and brought back on the same port.
/// </summary>
internal sealed class SwitchableForwarder : IAsyncDisposable
{
    private readonly int _target;
    private readonly ConcurrentDictionary<TcpClient, byte> _open = new();
    private TcpListener? _listener;
    private CancellationTokenSource? _stop;

    public SwitchableForwarder(int target)
    {
        _target = target;
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Port = ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    public int Port { get; }

    public void Up()
    {
        if (_listener is not null)
        {
            return;
        }

        _stop = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        _ = AcceptAsync(_listener, _stop.Token);
    }

    public void Down()
    {
        _stop?.Cancel();
        _listener?.Stop();
        _listener = null;
        foreach (var client in _open.Keys)
        {
            client.Dispose();
        }

        _open.Clear();
    }

    public ValueTask DisposeAsync()
    {
        Down();
        return ValueTask.CompletedTask;
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await listener.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = RelayAsync(inbound, cancellationToken);
        }
    }

    private async Task RelayAsync(TcpClient inbound, CancellationToken cancellationToken)
    {
        var outbound = new TcpClient();
        _open[inbound] = 0;
        _open[outbound] = 0;
        try
        {
            await outbound.ConnectAsync(IPAddress.Loopback, _target, cancellationToken);
            var a = inbound.GetStream().CopyToAsync(outbound.GetStream(), cancellationToken);
            var b = outbound.GetStream().CopyToAsync(inbound.GetStream(), cancellationToken);
            await Task.WhenAny(a, b);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
        }
        finally
        {
            _open.TryRemove(inbound, out _);
            _open.TryRemove(outbound, out _);
            inbound.Dispose();
            outbound.Dispose();
        }
    }
}
