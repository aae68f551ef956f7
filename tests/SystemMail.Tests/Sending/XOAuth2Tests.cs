using System.Text;
using MailKit;
using Microsoft.Extensions.DependencyInjection;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.Sending;

public sealed class XOAuth2Tests
{
    private const string User = "mailer@systemmail.test";

    [Fact]
    public async Task SendTestMailAsync_OAuth2WithAcceptedToken_AuthenticatesWithXOAuth2()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        var token = $"ya29.{Guid.NewGuid():N}";
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { AuthMethods = ["XOAUTH2"] }, ct);
        await server.SetXOAuth2TokensAsync([token], ct);
        var authenticator = new StaticTokenAuthenticator(token);
        await using var mail = CreateMailer(server, authenticator);

        // Act
        await mail.Mailer.SendTestMailAsync("someone@example.com", cancellationToken: ct);
        await mail.Mailer.SendTestMailAsync("someone.else@example.com", cancellationToken: ct);

        // Assert
        Assert.Equal(new SmtpAuthAttempt("XOAUTH2", User, Success: true), Assert.Single((await server.GetStatsAsync(ct)).AuthAttempts));
        Assert.Equal(1, authenticator.Calls);
        Assert.All(await server.GetMessagesAsync(ct), r => Assert.Equal(User, r.AuthenticatedUser));
        SecretAssert.NotIn(mail.Logs.Collector, token);
    }

    [Fact]
    public async Task SendTestMailAsync_OAuth2WithTokenTheServerDoesNotAccept_ThrowsAuthenticationWithoutTheToken()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        var token = $"ya29.{Guid.NewGuid():N}";
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { AuthMethods = ["XOAUTH2"] }, ct);
        await server.SetXOAuth2TokensAsync(["another-token"], ct);
        await using var mail = CreateMailer(server, new StaticTokenAuthenticator(token));

        // Act
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => mail.Mailer.SendTestMailAsync("someone@example.com", cancellationToken: ct));

        // Assert
        Assert.Equal(SystemMailErrorKind.Authentication, ex.Kind);
        Assert.Equal(535, ex.StatusCode);
        Assert.Equal(new SmtpAuthAttempt("XOAUTH2", User, Success: false), Assert.Single((await server.GetStatsAsync(ct)).AuthAttempts));
        SecretAssert.NotIn(ex, token);
        SecretAssert.NotIn(mail.Logs.Collector, token);
    }

    [Fact]
    public async Task ConnectAsync_RefusedToken_ServerAnswersWithXOAuth2ErrorChallengeThen535()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        var token = $"ya29.{Guid.NewGuid():N}";
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { AuthMethods = ["XOAUTH2"] }, ct);
        var options = new SystemMailOptions
        {
            From = TestMailer.Sender,
            Host = server.Host,
            Port = server.Port,
            Security = SmtpSecurity.StartTls,
            Authentication = SmtpAuthenticationType.OAuth2,
            Username = User,
            CheckCertificateRevocation = false,
            ServerCertificateValidationCallback = server.TestCertificate.Pin(),
        };
        var settings = SmtpSettings.Create(options, new SmtpProviderCatalog([]));
        var connector = new SmtpConnector(TimeProvider.System, oauth2: new StaticTokenAuthenticator(token));
        using var transcript = new MemoryStream();
        using var protocolLogger = new ProtocolLogger(transcript, leaveOpen: true);

        // Act
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => connector.ConnectAsync(settings, protocolLogger, ct));

        // Assert
        Assert.Equal(SystemMailErrorKind.Authentication, ex.Kind);
        var conversation = Encoding.UTF8.GetString(transcript.ToArray());
        var challenge = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"status":"401","schemes":"bearer","scope":"https://mail.google.com/"}"""));
        Assert.Contains("S: 334 " + challenge, conversation, StringComparison.Ordinal);
        Assert.Contains("S: 535 ", conversation, StringComparison.Ordinal);
        Assert.DoesNotContain(token, conversation, StringComparison.Ordinal);
    }

    private static TestMailer CreateMailer(SmtpTestServer server, StaticTokenAuthenticator authenticator) =>
        TestMailer.For(
            server,
            o =>
            {
                o.Authentication = SmtpAuthenticationType.OAuth2;
                o.Username = User;
                o.PoolSize = 1;
                // Valid settings; the token itself comes from the static authenticator below.
                o.OAuth2 = new SmtpOAuthOptions
                {
                    ClientId = "client",
                    ClientSecret = "secret",
                    AuthorizationEndpoint = new Uri("https://id.systemmail.test/authorize"),
                    TokenEndpoint = new Uri("https://id.systemmail.test/token"),
                    Scopes = ["smtp.send"],
                    RedirectUri = new Uri("https://app.systemmail.test/callback"),
                };
            },
            services => services.AddSingleton<ISmtpAuthenticator>(authenticator));
}
