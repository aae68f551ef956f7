using System.Net;
using System.Net.Sockets;

namespace SystemMail.Tests.Infrastructure;

/// <summary>Loopback ports for tests.</summary>
public static class TcpPorts
{
    /// <summary>
    /// Gets a port on 127.0.0.1 where nothing listens: the operating system picks a free one, and the listener is
    /// closed again at once, so a connection to it is refused.
    /// </summary>
    /// <returns>The port.</returns>
    public static int GetUnusedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
