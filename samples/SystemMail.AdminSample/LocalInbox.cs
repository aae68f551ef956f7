using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace SystemMail.AdminSample;

/// <summary>An SMTP inbox inside the site, on a loopback port: the sample sends real mail and needs no account.</summary>
public sealed class LocalInbox : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;
    private readonly ConcurrentQueue<InboxMessage> _messages = new();
    private int _count;

    private LocalInbox(int port, string username, string password)
    {
        Port = port;
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint => endpoint
                .Endpoint(new IPEndPoint(IPAddress.Loopback, port))
                .AllowUnsecureAuthentication(true)
                .AuthenticationRequired(true))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        services.Add(new Authenticator(username, password));
        _running = new SmtpServer.SmtpServer(options, services).StartAsync(_stop.Token);
    }

    /// <summary>The port the sample's inbox listens on unless <c>Sample:Inbox:Port</c> says otherwise.</summary>
    public const int DefaultPort = 2525;

    public int Port { get; }

    /// <summary>Gets what arrived, newest first.</summary>
    public IReadOnlyList<InboxMessage> Messages => [.. _messages.Reverse()];

    /// <summary>Starts the inbox on 127.0.0.1:<paramref name="port"/>, or on a free port when it is 0.</summary>
    public static LocalInbox Start(int port, string username, string password) => new(port == 0 ? FreePort() : port, username, password);

    public InboxMessage? Find(int id) => _messages.FirstOrDefault(m => m.Id == id);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class Store(LocalInbox inbox) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            inbox._messages.Enqueue(new InboxMessage(Interlocked.Increment(ref inbox._count), DateTimeOffset.UtcNow, message));
            return SmtpResponse.Ok;
        }
    }

    private sealed class Authenticator(string username, string password) : UserAuthenticator
    {
        public override Task<bool> AuthenticateAsync(ISessionContext context, string user, string secret, CancellationToken cancellationToken) =>
            Task.FromResult(user == username && secret == password);
    }
}
