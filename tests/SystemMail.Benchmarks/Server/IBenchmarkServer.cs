using System.Net;
using System.Net.Security;

namespace SystemMail.Benchmarks.Server;

/// <summary>An SMTP server on 127.0.0.1 the throughput scenarios send to: STARTTLS, AUTH, PIPELINING, every mail counted.</summary>
internal interface IBenchmarkServer
{
    IPEndPoint Endpoint { get; }

    /// <summary>Gets what the results say the server is.</summary>
    string Description { get; }

    /// <summary>Gets how the commands arrived, when the server can tell; <see langword="null"/> otherwise.</summary>
    PipeliningProbe? Probe { get; }

    /// <summary>Trusts exactly the server's self-signed certificate.</summary>
    RemoteCertificateValidationCallback Pin();

    /// <summary>
    /// Gets how many mails the server accepted since it started, waiting a short while for it to reach
    /// <paramref name="expected"/> when the server records its mails after it answers.
    /// </summary>
    Task<long> CountReceivedAsync(long expected, CancellationToken cancellationToken = default);
}
