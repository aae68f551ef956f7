using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using SmtpServer.IO;

namespace SystemMail.Benchmarks.Server;

/// <summary>The duplex pipe SmtpServer reads commands from and writes replies to, over an accepted socket, upgradable to TLS.</summary>
internal sealed class SecurableSocketPipe : ISecurableDuplexPipe
{
    private readonly Socket _socket;
    private readonly PipeliningProbe? _probe;
    private Stream _stream;
    private bool _disposed;

    public SecurableSocketPipe(Socket socket, PipeliningProbe? probe)
    {
        _socket = socket;
        _probe = probe;
        _stream = new NetworkStream(socket, ownsSocket: true);
        Input = PipeReader.Create(_stream);
        Output = PipeWriter.Create(_stream);
    }

    public PipeReader Input { get; private set; }

    public PipeWriter Output { get; private set; }

    public bool IsSecure => _stream is SslStream or PipeliningProbe.ObservedStream { Inner: SslStream };

    public SslProtocols SslProtocol => (_stream as SslStream ?? (_stream as PipeliningProbe.ObservedStream)?.Inner as SslStream)?.SslProtocol ?? SslProtocols.None;

    public async Task UpgradeAsync(X509Certificate certificate, SslProtocols protocols, CancellationToken cancellationToken = default)
    {
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: true);
        try
        {
            await ssl.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions
                {
                    ServerCertificate = certificate,
                    ClientCertificateRequired = false,
                    EnabledSslProtocols = protocols,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        // After STARTTLS the commands are readable again: the probe watches them here.
        _stream = _probe is null ? ssl : new PipeliningProbe.ObservedStream(ssl, _probe);
        Input = PipeReader.Create(_stream);
        Output = PipeWriter.Create(_stream);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            _stream.Dispose();
            _socket.Dispose();
        }
        catch (IOException)
        {
            // The client already went away.
        }
    }
}
