using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using MailKit.Net.Smtp;
using MailKit.Security;
using SystemMail.Benchmarks.Server;

namespace SystemMail.Benchmarks.Mail;

/// <summary>MailKit as a hand-written sender uses it, with the same TLS, certificate and EHLO settings as SystemMail.</summary>
internal static class RawMailKit
{
    public static async Task<SmtpClient> ConnectAsync(IPEndPoint endpoint, RemoteCertificateValidationCallback pin, CancellationToken cancellationToken = default)
    {
        var client = new SmtpClient
        {
            SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CheckCertificateRevocation = false,
            ServerCertificateValidationCallback = pin,
            LocalDomain = ActivationMail.LocalDomain,
            Timeout = 30_000,
        };
        try
        {
            await client.ConnectAsync(endpoint.Address.ToString(), endpoint.Port, SecureSocketOptions.StartTls, cancellationToken).ConfigureAwait(false);
            await client.AuthenticateAsync(new NetworkCredential(BenchmarkSmtpServer.User, BenchmarkSmtpServer.Password), cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }
}
