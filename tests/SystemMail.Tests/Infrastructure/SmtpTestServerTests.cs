using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace SystemMail.Tests.Infrastructure;

public sealed class SmtpTestServerTests
{
    [Fact]
    public async Task StartAsync_DefaultOptions_GreetsOnLoopback()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var server = await SmtpTestServer.StartAsync(cancellationToken: ct);
        using var client = new TcpClient();

        // Act
        await client.ConnectAsync(IPAddress.Loopback, server.Port, ct);
        using var reader = new StreamReader(client.GetStream());
        var greeting = await reader.ReadLineAsync(ct);

        // Assert
        Assert.StartsWith("220 localhost ESMTP", greeting, StringComparison.Ordinal);
        Assert.NotEqual(server.Port, server.ControlPort);
    }

    [Fact]
    public async Task DisposeAsync_RunningServer_StopsListening()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        var server = await SmtpTestServer.StartAsync(cancellationToken: ct);
        var port = server.Port;

        // Act
        await server.DisposeAsync();

        // Assert
        using var client = new TcpClient();
        var ex = await Assert.ThrowsAsync<SocketException>(async () => await client.ConnectAsync(IPAddress.Loopback, port, ct));
        Assert.Equal(SocketError.ConnectionRefused, ex.SocketErrorCode);
    }

    [Fact]
    public async Task ResetAsync_AfterMailAndBehaviour_ForgetsBoth()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { AuthOptional = true }, ct);
        await using var mail = TestMailer.For(server);
        await mail.Mailer.SendTestMailAsync("first@example.com", cancellationToken: ct);
        await server.SetBehaviourAsync(new SmtpTestServerBehaviour { RejectSender = new SmtpTestSenderRule(550, "5.7.1 Not allowed") }, ct);

        // Act
        await server.ResetAsync(ct);
        await mail.Mailer.SendTestMailAsync("second@example.com", cancellationToken: ct);

        // Assert
        var received = Assert.Single(await server.GetMessagesAsync(ct));
        Assert.Equal(["second@example.com"], received.RcptTo);
        var stats = await server.GetStatsAsync(ct);
        Assert.Equal(1, stats.Messages);
        Assert.Equal(1, stats.OpenConnections);
    }

    [Fact]
    public async Task ClearAsync_AfterMail_ForgetsMessagesButNotCounters()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { AuthOptional = true }, ct);
        await using var mail = TestMailer.For(server);
        await mail.Mailer.SendTestMailAsync("first@example.com", cancellationToken: ct);

        // Act
        await server.ClearAsync(ct);

        // Assert
        Assert.Empty(await server.GetMessagesAsync(ct));
        Assert.Equal(1, (await server.GetStatsAsync(ct)).Messages);
    }

    [Fact]
    public void Localhost_Certificate_NamesLocalhostAndLoopbackWithoutPrivateKey()
    {
        // Arrange
        var certificate = TestCertificate.Localhost.Certificate;

        // Act
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();

        // Assert
        Assert.Equal("CN=localhost", certificate.Subject);
        Assert.Contains("localhost", names.EnumerateDnsNames());
        Assert.Contains(IPAddress.Loopback, names.EnumerateIPAddresses());
        Assert.False(certificate.HasPrivateKey);
    }

    [Fact]
    public void Pin_OtherCertificateOrNameMismatch_Refuses()
    {
        // Arrange
        var pin = TestCertificate.Localhost.Pin();
        var other = TestCertificate.CreateForWrongName().Certificate;

        // Act
        var acceptsOwn = pin(this, TestCertificate.Localhost.Certificate, null, SslPolicyErrors.RemoteCertificateChainErrors);
        var acceptsOther = pin(this, other, null, SslPolicyErrors.RemoteCertificateChainErrors);
        var acceptsOwnForOtherName = pin(this, TestCertificate.Localhost.Certificate, null, SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateChainErrors);

        // Assert
        Assert.True(acceptsOwn);
        Assert.False(acceptsOther);
        Assert.False(acceptsOwnForOtherName);
    }
}
