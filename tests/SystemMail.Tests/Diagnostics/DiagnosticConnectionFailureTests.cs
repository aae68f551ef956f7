using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.Diagnostics;

/// <summary>Failures before the server says a word: settings, DNS, TCP, the TLS handshake and the port/security pairing.</summary>
public sealed class DiagnosticConnectionFailureTests
{
    private const string User = "mailer@systemmail.test";

    [Fact]
    public async Task TestConnectionAsync_UnsavedSettingsWithoutHost_FailsAtSettingsWithoutConnecting()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var mail = TestMailer.Create(o =>
        {
            o.Host = "127.0.0.1";
            o.Port = TcpPorts.GetUnusedPort();
        });
        Action<SystemMailOptions> form = o =>
        {
            o.From = TestMailer.Sender;
            o.Provider = "custom";
            o.Host = null;
            o.Port = 587;
        };

        // Act
        var report = await mail.Diagnostics().TestConnectionAsync(form, cancellationToken: ct);

        // Assert
        DiagnosticAssert.FailedAt(report, SmtpDiagnosticStage.Settings, SystemMailErrorKind.Configuration, nameof(Hints.InvalidSettings));
        Assert.Contains("Host", report.Error, StringComparison.Ordinal);
        Assert.Single(report.Steps);
        Assert.Null(report.ServerReply);
        Assert.Empty(report.Transcript);
    }

    [Fact]
    public async Task TestConnectionAsync_HostNameThatDoesNotResolve_FailsAtResolveHost()
    {
        // glibc's resolver refuses a name that is not ASCII without sending a query, so no traffic leaves the machine;
        // '.invalid' is reserved never to resolve (RFC 6761) should another resolver ask a DNS server. (A name with a
        // comma no longer gets this far: the validator takes only a bare host name or IP address.)
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Relies on glibc rejecting the name locally.");

        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var mail = TestMailer.Create(o =>
        {
            o.Host = "smtp.bücher.invalid";
            o.Port = 587;
        });

        // Act
        var report = await mail.Diagnostics().TestConnectionAsync(cancellationToken: ct);

        // Assert
        DiagnosticAssert.FailedAt(report, SmtpDiagnosticStage.ResolveHost, SystemMailErrorKind.Connection, nameof(Hints.HostNotFound));
        Assert.Equal(Hints.HostNotFound("smtp.bücher.invalid").Text(null), report.Hint);
        Assert.Null(report.RemoteEndPoint);
    }

    [Fact]
    public async Task TestConnectionAsync_NothingListens_FailsAtConnectAsRefused()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        var port = TcpPorts.GetUnusedPort();
        await using var mail = TestMailer.Create(o =>
        {
            o.Host = "127.0.0.1";
            o.Port = port;
        });

        // Act
        var report = await mail.Diagnostics().TestConnectionAsync(cancellationToken: ct);

        // Assert
        DiagnosticAssert.FailedAt(report, SmtpDiagnosticStage.Connect, SystemMailErrorKind.Connection, nameof(Hints.ConnectionRefused));
        Assert.Equal(Hints.ConnectionRefused($"127.0.0.1:{port}").Text(null), report.Hint);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TestConnectionAsync_ImplicitTlsAgainstPlainPort_FailsAtTlsWithStartTlsHint(bool portOffersStartTls)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { OfferStartTls = portOffersStartTls, AuthOptional = true }, ct);
        await using var mail = TestMailer.For(server, o => o.Security = SmtpSecurity.SslOnConnect);

        // Act
        var report = await mail.Diagnostics().TestConnectionAsync(cancellationToken: ct);

        // Assert
        DiagnosticAssert.FailedAt(report, SmtpDiagnosticStage.Tls, SystemMailErrorKind.Tls, nameof(Hints.ImplicitTlsAgainstPlainPort));
        Assert.Contains("StartTls", report.Hint, StringComparison.Ordinal);
        Assert.Null(report.Tls?.Protocol);
    }

    [Fact]
    public async Task TestConnectionAsync_StartTlsNotOffered_FailsAtTlsAfterTheCapabilities()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { OfferStartTls = false, AuthOptional = true }, ct);
        await using var mail = TestMailer.For(server, o => o.Security = SmtpSecurity.StartTls);

        // Act
        var report = await mail.Diagnostics().TestConnectionAsync(cancellationToken: ct);

        // Assert
        DiagnosticAssert.FailedAt(report, SmtpDiagnosticStage.Tls, SystemMailErrorKind.Configuration, nameof(Hints.StartTlsNotOffered));
        Assert.DoesNotContain("STARTTLS", report.Capabilities);
        Assert.NotEmpty(report.Capabilities);
    }

    [Theory]
    [InlineData(SmtpSecurity.StartTls)]
    [InlineData(SmtpSecurity.SslOnConnect)]
    public async Task TestConnectionAsync_CertificateForAnotherName_FailsAtTlsNamingTheCertificatesNames(SmtpSecurity security)
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
        var report = await mail.Diagnostics().TestConnectionAsync(cancellationToken: ct);

        // Assert
        var step = DiagnosticAssert.FailedAt(report, SmtpDiagnosticStage.Tls, SystemMailErrorKind.Tls, nameof(Hints.CertificateNameMismatch));
        Assert.StartsWith("CN=mail.example.org: RemoteCertificateNameMismatch", step.Detail, StringComparison.Ordinal);
        Assert.Equal(Hints.CertificateNameMismatch($"localhost:{server.Port}", "localhost", "mail.example.org").Text(null), report.Hint);
        var tls = Assert.IsType<SmtpTlsInfo>(report.Tls);
        Assert.Equal("CN=mail.example.org", tls.CertificateSubject);
        Assert.Equal(["mail.example.org"], tls.CertificateDnsNames);
        Assert.Contains("RemoteCertificateNameMismatch", tls.CertificateErrors);
        Assert.False(tls.CertificateAccepted);
        Assert.Null(tls.Protocol);
        Assert.Empty((await server.GetStatsAsync(ct)).AuthAttempts);
        Assert.DoesNotContain(password, report.Transcript, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestConnectionAsync_SelfSignedCertificateForTheRightName_FailsAtTlsAsUntrusted()
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
        var report = await mail.Diagnostics().TestConnectionAsync(cancellationToken: ct);

        // Assert
        DiagnosticAssert.FailedAt(report, SmtpDiagnosticStage.Tls, SystemMailErrorKind.Tls, nameof(Hints.CertificateChainUntrusted));
        var tls = Assert.IsType<SmtpTlsInfo>(report.Tls);
        Assert.Equal("CN=localhost", tls.CertificateSubject);
        Assert.DoesNotContain("RemoteCertificateNameMismatch", tls.CertificateErrors);
        Assert.Contains("UntrustedRoot", tls.CertificateErrors);
        Assert.True(tls.CertificateNotAfter > DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task TestConnectionAsync_ServerOffersOnlyTls11_FailsAtTlsWithTheTooOldHint()
    {
        // Arrange: a server that speaks TLS 1.0 and 1.1 only (OpenSSL 3 needs security level 0 for them).
        var ct = TestContext.Current.CancellationToken;
        await using var server = await SmtpTestServer.StartAsync(
            new SmtpTestServerOptions { ImplicitTls = true, AuthOptional = true, MinTlsVersion = "TLSv1", MaxTlsVersion = "TLSv1.1", Ciphers = "DEFAULT:@SECLEVEL=0" },
            ct);
        await using var mail = TestMailer.For(server);

        // Act
        var report = await mail.Diagnostics().TestConnectionAsync(cancellationToken: ct);

        // Assert
        DiagnosticAssert.FailedAt(report, SmtpDiagnosticStage.Tls, SystemMailErrorKind.Tls, nameof(Hints.ServerTlsTooOld));
        Assert.Contains("TLS 1.2", report.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestConnectionAsync_MinimumTls13AgainstTls12Server_FailsAtTlsSayingSetTls12()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var server = await SmtpTestServer.StartAsync(
            new SmtpTestServerOptions { ImplicitTls = true, AuthOptional = true, MaxTlsVersion = "TLSv1.2" },
            ct);
        await using var mail = TestMailer.For(server, o => o.MinimumTlsVersion = System.Security.Authentication.SslProtocols.Tls13);

        // Act
        var report = await mail.Diagnostics().TestConnectionAsync(cancellationToken: ct);

        // Assert
        DiagnosticAssert.FailedAt(report, SmtpDiagnosticStage.Tls, SystemMailErrorKind.Tls, nameof(Hints.Tls13NotOffered));
        Assert.Contains("MinimumTlsVersion to Tls12", report.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not an address")]
    [InlineData("someone@example.com\r\nBcc: x@example.com")]
    public async Task SendTestMailAsync_InvalidRecipient_ThrowsArgumentException(string recipient)
    {
        // Arrange
        await using var mail = TestMailer.Create(o =>
        {
            o.Host = "127.0.0.1";
            o.Port = TcpPorts.GetUnusedPort();
        });

        // Act
        var ex = await Record.ExceptionAsync(() => mail.Diagnostics().SendTestMailAsync(recipient, cancellationToken: TestContext.Current.CancellationToken));

        // Assert
        Assert.IsAssignableFrom<ArgumentException>(ex);
    }
}
