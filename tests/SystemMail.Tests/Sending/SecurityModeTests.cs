using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.Sending;

public sealed class SecurityModeTests
{
    private const string User = "mailer@systemmail.test";
    private const string Password = "Pw-security-modes";

    [Theory]
    [InlineData(SmtpSecurity.None)]
    [InlineData(SmtpSecurity.StartTls)]
    [InlineData(SmtpSecurity.SslOnConnect)]
    public async Task SendActivationAndPasswordReset_SecurityMode_ServerReceivesBothMails(SmtpSecurity security)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        var plain = security == SmtpSecurity.None;
        await using var server = await SmtpTestServer.StartAsync(
            new SmtpTestServerOptions
            {
                ImplicitTls = security == SmtpSecurity.SslOnConnect,
                OfferStartTls = security == SmtpSecurity.StartTls,
                AuthOptional = plain,
                AuthDisabled = plain,
                Users = new Dictionary<string, string> { [User] = Password },
            },
            ct);
        await using var mail = TestMailer.For(server, options =>
        {
            options.Security = security;
            if (!plain)
            {
                options.Authentication = SmtpAuthenticationType.Basic;
                options.Username = User;
                options.Password = Password;
            }
        });
        var activationLink = MailAssert.LinkNeedingEscaping("activate");
        var resetLink = MailAssert.LinkNeedingEscaping("reset");

        // Act
        var activation = await mail.Mailer.SendActivationAsync("new.user@example.com", activationLink, TimeSpan.FromHours(24), cancellationToken: ct);
        var reset = await mail.Mailer.SendPasswordResetAsync("old.user@example.com", resetLink, TimeSpan.FromMinutes(30), cancellationToken: ct);

        // Assert
        var received = await server.GetMessagesAsync(ct);
        Assert.Equal(2, received.Count);
        MailAssert.IsSystemMail(received[0], activation, "new.user@example.com", activationLink);
        MailAssert.IsSystemMail(received[1], reset, "old.user@example.com", resetLink);
        Assert.All(received, r => Assert.Equal(!plain, r.Secure));
        Assert.All(received, r => Assert.Equal(plain ? null : User, r.AuthenticatedUser));
        Assert.All(received, r => Assert.True(string.IsNullOrEmpty(r.Message.To.Mailboxes.Single().Name)));

        var stats = await server.GetStatsAsync(ct);
        Assert.Equal(1, stats.Connections);
        Assert.Equal(security == SmtpSecurity.StartTls ? 1 : 0, stats.CommandCount("STARTTLS"));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task SendTestMailAsync_PinnedCertificateForTheHostName_Sends(string host)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { ImplicitTls = true, AuthOptional = true }, ct);
        await using var mail = TestMailer.For(server, o => o.Host = host);

        // Act
        var sent = await mail.Mailer.SendTestMailAsync("someone@example.com", cancellationToken: ct);

        // Assert
        var received = Assert.Single(await server.GetMessagesAsync(ct));
        Assert.Equal(sent.MessageId, received.Message.MessageId);
        Assert.True(received.Secure);
    }
}
