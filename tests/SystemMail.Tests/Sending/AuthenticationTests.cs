using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.Sending;

public sealed class AuthenticationTests
{
    private const string User = "mailer@systemmail.test";
    private const string Recipient = "someone@example.com";

    [Theory]
    [InlineData("PLAIN")]
    [InlineData("LOGIN")]
    public async Task SendTestMailAsync_ServerOffersOneMechanism_AuthenticatesWithIt(string mechanism)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        var password = SecretAssert.NewMarkerPassword();
        await using var server = await SmtpTestServer.StartAsync(
            new SmtpTestServerOptions { AuthMethods = [mechanism], Users = new Dictionary<string, string> { [User] = password } },
            ct);
        await using var mail = TestMailer.For(server, o => Basic(o, password));

        // Act
        await mail.Mailer.SendTestMailAsync(Recipient, cancellationToken: ct);

        // Assert
        var stats = await server.GetStatsAsync(ct);
        var attempt = Assert.Single(stats.AuthAttempts);
        Assert.Equal(new SmtpAuthAttempt(mechanism, User, Success: true), attempt);
        var received = Assert.Single(await server.GetMessagesAsync(ct));
        Assert.Equal(User, received.AuthenticatedUser);
    }

    [Fact]
    public async Task SendTestMailAsync_ServerAlsoOffersXOAuth2_BasicNeverUsesIt()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        var password = SecretAssert.NewMarkerPassword();
        await using var server = await SmtpTestServer.StartAsync(
            new SmtpTestServerOptions { AuthMethods = ["XOAUTH2", "PLAIN", "LOGIN"], Users = new Dictionary<string, string> { [User] = password } },
            ct);
        await using var mail = TestMailer.For(server, o => Basic(o, password));

        // Act
        await mail.Mailer.SendTestMailAsync(Recipient, cancellationToken: ct);

        // Assert
        var attempt = Assert.Single((await server.GetStatsAsync(ct)).AuthAttempts);
        Assert.NotEqual("XOAUTH2", attempt.Method);
        Assert.True(attempt.Success);
    }

    private static void Basic(SystemMailOptions options, string password)
    {
        options.Authentication = SmtpAuthenticationType.Basic;
        options.Username = User;
        options.Password = password;
    }
}
