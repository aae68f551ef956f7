using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.Sending;

/// <summary>Every failure kind, provoked for real with a marker password: neither the exception nor any log line may contain it.</summary>
public sealed class SecretLoggingTests
{
    private const string User = "mailer@systemmail.test";

    [Theory]
    [InlineData(FailureScenario.WrongPassword, SystemMailErrorKind.Authentication)]
    [InlineData(FailureScenario.TemporaryAuthenticationFailure, SystemMailErrorKind.Transient)]
    [InlineData(FailureScenario.AuthNotOffered, SystemMailErrorKind.Configuration)]
    [InlineData(FailureScenario.RecipientRefused, SystemMailErrorKind.RecipientRejected)]
    [InlineData(FailureScenario.SenderRefused, SystemMailErrorKind.SenderRejected)]
    [InlineData(FailureScenario.MessageTooLarge, SystemMailErrorKind.MessageRejected)]
    [InlineData(FailureScenario.ServerNeverAnswers, SystemMailErrorKind.Timeout)]
    [InlineData(FailureScenario.StartTlsAgainstImplicitTlsPort, SystemMailErrorKind.Tls)]
    [InlineData(FailureScenario.SslOnConnectAgainstPlainPort, SystemMailErrorKind.Tls)]
    [InlineData(FailureScenario.StartTlsNotOffered, SystemMailErrorKind.Configuration)]
    [InlineData(FailureScenario.CertificateForWrongName, SystemMailErrorKind.Tls)]
    [InlineData(FailureScenario.ConnectionRefused, SystemMailErrorKind.Connection)]
    public async Task SendPasswordResetAsync_Failure_NoExceptionOrLogContainsThePassword(FailureScenario scenario, SystemMailErrorKind expectedKind)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        var password = SecretAssert.NewMarkerPassword();
        await using var target = await Target.StartAsync(scenario, password, ct);
        await using var mail = TestMailer.Create(o =>
        {
            o.Host = target.Host;
            o.Port = target.Port;
            o.Security = target.Security;
            o.ServerCertificateValidationCallback = target.CertificateValidation;
            o.Timeout = target.Timeout;
            o.Authentication = SmtpAuthenticationType.Basic;
            o.Username = User;
            o.Password = password;
        });

        // Act
        var ex = await Assert.ThrowsAsync<SystemMailException>(() =>
            mail.Mailer.SendPasswordResetAsync(Target.RefusedRecipient, new Uri("https://app.example.com/reset?token=abc"), TimeSpan.FromMinutes(30), cancellationToken: ct));

        // Assert
        Assert.Equal(expectedKind, ex.Kind);
        SecretAssert.NotIn(ex, password, User);
        var failure = Assert.Single(mail.Logs.Collector.GetSnapshot(), r => r.Id.Name == "MailFailed");
        Assert.Same(ex, failure.Exception);
        SecretAssert.NotIn(mail.Logs.Collector, password, User);
    }

    [Fact]
    public async Task SendPasswordResetAsync_Success_NoLogContainsThePassword()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        var password = SecretAssert.NewMarkerPassword();
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Users = new Dictionary<string, string> { [User] = password } }, ct);
        await using var mail = TestMailer.For(server, o =>
        {
            o.Authentication = SmtpAuthenticationType.Basic;
            o.Username = User;
            o.Password = password;
        });

        // Act
        await mail.Mailer.SendPasswordResetAsync("someone@example.com", new Uri("https://app.example.com/reset?token=abc"), TimeSpan.FromMinutes(30), cancellationToken: ct);

        // Assert
        Assert.Contains(mail.Logs.Collector.GetSnapshot(), r => r.Id.Name == "ConnectionOpened");
        Assert.Contains(mail.Logs.Collector.GetSnapshot(), r => r.Id.Name == "MailSent");
        SecretAssert.NotIn(mail.Logs.Collector, password, User);
    }

    /// <summary>The server a scenario sends to, and how the mailer is pointed at it.</summary>
    private sealed class Target : IAsyncDisposable
    {
        public const string RefusedRecipient = "nobody@example.com";

        private IAsyncDisposable? _server;

        public string Host { get; private set; } = "127.0.0.1";

        public int Port { get; private set; }

        public SmtpSecurity Security { get; private set; } = SmtpSecurity.StartTls;

        public System.Net.Security.RemoteCertificateValidationCallback? CertificateValidation { get; private set; } = TestCertificate.Localhost.Pin();

        public TimeSpan Timeout { get; private set; } = TimeSpan.FromSeconds(10);

        public static async Task<Target> StartAsync(FailureScenario scenario, string password, CancellationToken ct)
        {
            var target = new Target();
            var users = new Dictionary<string, string> { [User] = password };
            switch (scenario)
            {
                case FailureScenario.WrongPassword:
                    await target.UseAsync(new SmtpTestServerOptions { Users = new Dictionary<string, string> { [User] = "another-password" } }, ct);
                    break;
                case FailureScenario.TemporaryAuthenticationFailure:
                    var busy = await target.UseAsync(new SmtpTestServerOptions { Users = users }, ct);
                    await busy.SetBehaviourAsync(new SmtpTestServerBehaviour { AuthReply = new SmtpTestReply(454, "4.7.0 Temporary authentication failure") }, ct);
                    break;
                case FailureScenario.AuthNotOffered:
                    await target.UseAsync(new SmtpTestServerOptions { AuthDisabled = true, AuthOptional = true }, ct);
                    break;
                case FailureScenario.RecipientRefused:
                    var strict = await target.UseAsync(new SmtpTestServerOptions { Users = users }, ct);
                    await strict.SetBehaviourAsync(new SmtpTestServerBehaviour { RejectRecipients = [new SmtpTestRecipientRule(RefusedRecipient, 550, "5.1.1 User unknown")] }, ct);
                    break;
                case FailureScenario.SenderRefused:
                    var picky = await target.UseAsync(new SmtpTestServerOptions { Users = users }, ct);
                    await picky.SetBehaviourAsync(new SmtpTestServerBehaviour { RejectSender = new SmtpTestSenderRule(553, "5.7.1 Sender address rejected: not owned by user " + User) }, ct);
                    break;
                case FailureScenario.MessageTooLarge:
                    await target.UseAsync(new SmtpTestServerOptions { Users = users, MaxMessageSize = 1024 }, ct);
                    break;
                case FailureScenario.ServerNeverAnswers:
                    var silent = SilentTcpServer.Start();
                    target._server = silent;
                    target.Port = silent.Port;
                    target.Timeout = TimeSpan.FromSeconds(1.5);
                    break;
                case FailureScenario.StartTlsAgainstImplicitTlsPort:
                    await target.UseAsync(new SmtpTestServerOptions { ImplicitTls = true, Users = users }, ct);
                    target.Security = SmtpSecurity.StartTls;
                    target.Timeout = TimeSpan.FromSeconds(3);
                    break;
                case FailureScenario.SslOnConnectAgainstPlainPort:
                    await target.UseAsync(new SmtpTestServerOptions { Users = users }, ct);
                    target.Security = SmtpSecurity.SslOnConnect;
                    break;
                case FailureScenario.StartTlsNotOffered:
                    await target.UseAsync(new SmtpTestServerOptions { OfferStartTls = false, Users = users }, ct);
                    break;
                case FailureScenario.CertificateForWrongName:
                    await target.UseAsync(new SmtpTestServerOptions { Users = users, Certificate = TestCertificate.CreateForWrongName() }, ct);
                    target.Host = "localhost";
                    target.CertificateValidation = null;
                    break;
                case FailureScenario.ConnectionRefused:
                    target.Port = TcpPorts.GetUnusedPort();
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(scenario), scenario, null);
            }

            return target;
        }

        public ValueTask DisposeAsync() => _server?.DisposeAsync() ?? ValueTask.CompletedTask;

        private async Task<SmtpTestServer> UseAsync(SmtpTestServerOptions options, CancellationToken ct)
        {
            var server = await SmtpTestServer.StartAsync(options, ct);
            _server = server;
            Port = server.Port;
            Security = options.ImplicitTls ? SmtpSecurity.SslOnConnect : SmtpSecurity.StartTls;
            return server;
        }
    }
}
