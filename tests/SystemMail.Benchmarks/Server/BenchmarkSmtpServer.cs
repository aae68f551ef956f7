using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Protocol;
using SmtpServer.Storage;
using SmtpServerHost = SmtpServer.SmtpServer;

namespace SystemMail.Benchmarks.Server;

/// <summary>
/// The SMTP server every scenario sends to: the SmtpServer package on 127.0.0.1, STARTTLS with a self-signed
/// certificate, AUTH PLAIN/LOGIN required, PIPELINING and SIZE offered, each mail counted and dropped.
/// </summary>
internal sealed class BenchmarkSmtpServer : IBenchmarkServer, IAsyncDisposable
{
    public const string User = "mailer@systemmail.test";
    public const string Password = "benchmark-password";

    private readonly CancellationTokenSource _stop;
    private readonly SmtpServerHost _server;
    private readonly Task _running;
    private readonly CountingStore _store;

    private BenchmarkSmtpServer(SmtpServerHost server, Task running, CountingStore store, IPEndPoint endpoint, ServerCertificate certificate, PipeliningProbe probe, CancellationTokenSource stop)
    {
        _server = server;
        _running = running;
        _store = store;
        Endpoint = endpoint;
        Certificate = certificate;
        Probe = probe;
        _stop = stop;
    }

    public IPEndPoint Endpoint { get; }

    public string Host => Endpoint.Address.ToString();

    public int Port => Endpoint.Port;

    public ServerCertificate Certificate { get; }

    /// <summary>Gets how the commands arrived after STARTTLS: how many transactions were pipelined.</summary>
    public PipeliningProbe Probe { get; }

    /// <summary>Gets how many mails the server accepted since it started.</summary>
    public long Received => _store.Count;

    /// <summary>Gets how often each Message-Id arrived (the outbox's crash proof counts duplicates by it).</summary>
    public IReadOnlyDictionary<string, int> MessageIds => _store.MessageIds;

    /// <summary>Gets when each mail arrived (<see cref="System.Diagnostics.Stopwatch"/> timestamps), across restarts.</summary>
    public IReadOnlyList<long> Arrivals => [.. _store.Arrivals];

    public string Description => "SmtpServer 11.1 in process";

    /// <summary>Gets the count at once: the store counts a mail before the server answers its DATA.</summary>
    public Task<long> CountReceivedAsync(long expected, CancellationToken cancellationToken = default) => Task.FromResult(Received);

    public RemoteCertificateValidationCallback Pin() => Certificate.Pin();

    /// <summary>Starts a server on a free loopback port.</summary>
    /// <param name="noDelay">Sets TCP_NODELAY on accepted sockets; <see langword="false"/> is SmtpServer's stock behaviour.</param>
    public static Task<BenchmarkSmtpServer> StartAsync(bool noDelay = true) => StartAsync(noDelay, port: 0, ServerCertificate.Create(), new CountingStore());

    /// <summary>Starts the server again after <see cref="StopAsync"/>: same port, certificate and counts.</summary>
    public static Task<BenchmarkSmtpServer> RestartAsync(BenchmarkSmtpServer stopped) =>
        StartAsync(noDelay: true, stopped.Port, stopped.Certificate, stopped._store);

    private static async Task<BenchmarkSmtpServer> StartAsync(bool noDelay, int port, ServerCertificate certificate, CountingStore store)
    {
        var probe = new PipeliningProbe();
        var listeners = new NoDelayEndpointListenerFactory(noDelay, probe);
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .MaxMessageSize(10 * 1024 * 1024)
            .Endpoint(endpoint => endpoint
                .Endpoint(new IPEndPoint(IPAddress.Loopback, port))
                .IsSecure(false)
                .Certificate(certificate.WithPrivateKey)
                .SupportedSslProtocols(SslProtocols.Tls12 | SslProtocols.Tls13)
                .AuthenticationRequired()
                .AllowUnsecureAuthentication(false)
                .SessionTimeout(TimeSpan.FromHours(1)))
            .Build();

        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(listeners);
        services.Add(store);
        services.Add(new PasswordAuthenticator());
        var server = new SmtpServerHost(options, services);
        var stop = new CancellationTokenSource();
        var running = server.StartAsync(stop.Token);
        var endpoint = await listeners.Started.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        return new BenchmarkSmtpServer(server, running, store, endpoint, certificate, probe, stop);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
        Certificate.Dispose();
    }

    /// <summary>Stops listening and closes the open connections; the certificate stays for <see cref="RestartAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _running.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
        {
            // Sessions still open end with the process.
        }

    }

    private sealed class CountingStore : MessageStore
    {
        private long _count;

        public long Count => Interlocked.Read(ref _count);

        public System.Collections.Concurrent.ConcurrentDictionary<string, int> MessageIds { get; } = new(StringComparer.Ordinal);

        public System.Collections.Concurrent.ConcurrentQueue<long> Arrivals { get; } = new();

        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            Arrivals.Enqueue(System.Diagnostics.Stopwatch.GetTimestamp());
            if (MessageIdOf(buffer) is { } id)
            {
                MessageIds.AddOrUpdate(id, 1, static (_, n) => n + 1);
            }

            return Task.FromResult(SmtpResponse.Ok);
        }
    }

    /// <summary>The Message-Id header's value, read from the message's header block.</summary>
    private static string? MessageIdOf(ReadOnlySequence<byte> buffer)
    {
        var text = "\n" + System.Text.EncodingExtensions.GetString(System.Text.Encoding.ASCII, buffer.Length > 4096 ? buffer.Slice(0, 4096) : buffer);
        var at = text.IndexOf("\nMessage-Id:", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return null;
        }

        var end = text.IndexOf('\r', at + 1);
        return text[(at + 12)..(end < 0 ? text.Length : end)].Trim().Trim('<', '>');
    }

    private sealed class PasswordAuthenticator : UserAuthenticator
    {
        public override Task<bool> AuthenticateAsync(ISessionContext context, string user, string password, CancellationToken cancellationToken) =>
            Task.FromResult(user == User && password == Password);
    }
}
