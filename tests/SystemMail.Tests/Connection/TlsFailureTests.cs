using SystemMail.Tests.Diagnostics;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.Connection;

/// <summary>
/// TLS failures, sent and diagnosed alike: no STARTTLS, a certificate that validation rejects (the hint names the
/// cause), TLS versions that do not overlap.
/// </summary>
public sealed class TlsFailureTests
{
    private const string User = "mailer@systemmail.test";

    [Theory]
    [InlineData(EntryPoint.Send)]
    [InlineData(EntryPoint.Diagnostic)]
    public async Task ConnectAsync_StartTlsNotOffered_FailsWithConfigurationAfterTheCapabilities(EntryPoint entryPoint)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { OfferStartTls = false, AuthOptional = true }, ct);
        await using var mail = TestMailer.For(server, o => o.Security = SmtpSecurity.StartTls);

        // Act
        var failure = await ConnectionFailure.ProvokeAsync(mail, entryPoint);

        // Assert
        failure.Is(SystemMailErrorKind.Configuration, Hints.StartTlsNotOffered($"127.0.0.1:{server.Port}"), SmtpDiagnosticStage.Tls);
        Assert.Empty(await server.GetMessagesAsync(ct));
        if (failure.Report is { } report)
        {
            Assert.DoesNotContain("STARTTLS", report.Capabilities);
            Assert.NotEmpty(report.Capabilities);
        }
    }

    [Theory]
    [InlineData(EntryPoint.Send, SmtpSecurity.StartTls)]
    [InlineData(EntryPoint.Send, SmtpSecurity.SslOnConnect)]
    [InlineData(EntryPoint.Diagnostic, SmtpSecurity.StartTls)]
    [InlineData(EntryPoint.Diagnostic, SmtpSecurity.SslOnConnect)]
    public async Task ConnectAsync_CertificateForAnotherName_FailsWithTheHintNamingTheCertificatesNames(EntryPoint entryPoint, SmtpSecurity security)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        var password = SecretAssert.NewMarkerPassword();
        await using var server = await SmtpTestServer.StartAsync(
            new SmtpTestServerOptions
            {
                ImplicitTls = security == SmtpSecurity.SslOnConnect,
                Certificate = TestCertificate.CreateForWrongName(),
                Users = new Dictionary<string, string> { [User] = password },
            },
            ct);
        await using var mail = TestMailer.Create(o =>
        {
            o.Host = "localhost";
            o.Port = server.Port;
            o.Security = security;
            o.Authentication = SmtpAuthenticationType.Basic;
            o.Username = User;
            o.Password = password;
        });

        // Act
        var failure = await ConnectionFailure.ProvokeAsync(mail, entryPoint);

        // Assert
        var step = failure.Is(SystemMailErrorKind.Tls, Hints.CertificateNameMismatch($"localhost:{server.Port}", "localhost", "mail.example.org"), SmtpDiagnosticStage.Tls);
        Assert.Empty((await server.GetStatsAsync(ct)).AuthAttempts);
        failure.HasNoSecret(password, User);
        if (failure.Report is { } report)
        {
            Assert.StartsWith("CN=mail.example.org: RemoteCertificateNameMismatch", step!.Detail, StringComparison.Ordinal);
            var tls = Assert.IsType<SmtpTlsInfo>(report.Tls);
            Assert.Equal("CN=mail.example.org", tls.CertificateSubject);
            Assert.Equal(["mail.example.org"], tls.CertificateDnsNames);
            Assert.Contains("RemoteCertificateNameMismatch", tls.CertificateErrors);
            Assert.False(tls.CertificateAccepted);
            Assert.Null(tls.Protocol);
        }
    }

    [Theory]
    [InlineData(EntryPoint.Send)]
    [InlineData(EntryPoint.Diagnostic)]
    public async Task ConnectAsync_PinnedCertificateButWrongHostName_FailsWithTheNameMismatchHint(EntryPoint entryPoint)
    {
        // Arrange: the pin accepts exactly this certificate, for the host name it was issued for only.
        var ct = TestContext.Current.CancellationToken;
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Certificate = TestCertificate.CreateForWrongName(), AuthOptional = true }, ct);
        await using var mail = TestMailer.For(server);

        // Act
        var failure = await ConnectionFailure.ProvokeAsync(mail, entryPoint);

        // Assert
        failure.Is(SystemMailErrorKind.Tls, Hints.CertificateNameMismatch($"127.0.0.1:{server.Port}", "127.0.0.1", "mail.example.org"), SmtpDiagnosticStage.Tls);
    }

    [Theory]
    [InlineData(EntryPoint.Send)]
    [InlineData(EntryPoint.Diagnostic)]
    public async Task ConnectAsync_SelfSignedCertificateForTheRightName_FailsAsUntrusted(EntryPoint entryPoint)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { ImplicitTls = true, AuthOptional = true }, ct);
        await using var mail = TestMailer.Create(o =>
        {
            o.Host = "localhost";
            o.Port = server.Port;
            o.Security = SmtpSecurity.SslOnConnect;
        });

        // Act
        var failure = await ConnectionFailure.ProvokeAsync(mail, entryPoint);

        // Assert
        failure.Is(SystemMailErrorKind.Tls, Hints.CertificateChainUntrusted($"localhost:{server.Port}"), SmtpDiagnosticStage.Tls);
        if (failure.Report is { } report)
        {
            var tls = Assert.IsType<SmtpTlsInfo>(report.Tls);
            Assert.Equal("CN=localhost", tls.CertificateSubject);
            Assert.DoesNotContain("RemoteCertificateNameMismatch", tls.CertificateErrors);
            Assert.Contains("UntrustedRoot", tls.CertificateErrors);
            Assert.True(tls.CertificateNotAfter > DateTimeOffset.UtcNow);
        }
    }

    [Theory]
    [InlineData(EntryPoint.Send)]
    [InlineData(EntryPoint.Diagnostic)]
    public async Task ConnectAsync_ServerOffersOnlyTls11_FailsWithTheTooOldHint(EntryPoint entryPoint)
    {
        // Arrange: a server that speaks TLS 1.0 and 1.1 only (OpenSSL 3 needs security level 0 for them).
        var ct = TestContext.Current.CancellationToken;
        await using var server = await SmtpTestServer.StartAsync(
            new SmtpTestServerOptions { ImplicitTls = true, AuthOptional = true, MinTlsVersion = "TLSv1", MaxTlsVersion = "TLSv1.1", Ciphers = "DEFAULT:@SECLEVEL=0" },
            ct);
        await using var mail = TestMailer.For(server);

        // Act
        var failure = await ConnectionFailure.ProvokeAsync(mail, entryPoint);

        // Assert
        failure.Is(SystemMailErrorKind.Tls, Hints.ServerTlsTooOld($"127.0.0.1:{server.Port}"), SmtpDiagnosticStage.Tls);
        Assert.Contains("TLS 1.2", failure.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(EntryPoint.Send)]
    [InlineData(EntryPoint.Diagnostic)]
    public async Task ConnectAsync_MinimumTls13AgainstTls12Server_FailsSayingSetTls12(EntryPoint entryPoint)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var server = await SmtpTestServer.StartAsync(
            new SmtpTestServerOptions { ImplicitTls = true, AuthOptional = true, MaxTlsVersion = "TLSv1.2" },
            ct);
        await using var mail = TestMailer.For(server, o => o.MinimumTlsVersion = System.Security.Authentication.SslProtocols.Tls13);

        // Act
        var failure = await ConnectionFailure.ProvokeAsync(mail, entryPoint);

        // Assert
        failure.Is(SystemMailErrorKind.Tls, Hints.Tls13NotOffered($"127.0.0.1:{server.Port}"), SmtpDiagnosticStage.Tls);
        Assert.Contains("MinimumTlsVersion to Tls12", failure.Hint, StringComparison.Ordinal);
    }
}
