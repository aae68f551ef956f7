using System.Globalization;
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

    [Fact]
    public async Task SendTestMailAsync_WrongPassword_ThrowsAuthenticationWithoutThePassword()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        var wrongPassword = SecretAssert.NewMarkerPassword();
        await using var server = await SmtpTestServer.StartAsync(
            new SmtpTestServerOptions { Users = new Dictionary<string, string> { [User] = "the-right-password" } },
            ct);
        await using var mail = TestMailer.For(server, o => Basic(o, wrongPassword));

        // Act
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => mail.Mailer.SendTestMailAsync(Recipient, cancellationToken: ct));

        // Assert
        Assert.Equal(SystemMailErrorKind.Authentication, ex.Kind);
        Assert.Equal(535, ex.StatusCode);
        Assert.Equal("5.7.8", ex.EnhancedStatusCode);
        Assert.Contains("authentication credentials invalid", ex.ServerResponse, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(Hints.WrongCredentials.ToString(), ex.GetHint(CultureInfo.InvariantCulture));
        Assert.Contains(User, ex.Message, StringComparison.Ordinal);
        Assert.False(ex.IsTransient);
        SecretAssert.NotIn(ex, wrongPassword);
        SecretAssert.NotIn(mail.Logs.Collector, wrongPassword);
        Assert.Empty(await server.GetMessagesAsync(ct));
        Assert.Equal(0, mail.Pool.OpenConnections);
    }

    [Fact]
    public async Task SendTestMailAsync_GoogleRejectionTextFromCustomServer_KeepsCodesAndGivesGenericHint()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        var password = SecretAssert.NewMarkerPassword();
        await using var server = await SmtpTestServer.StartAsync(
            new SmtpTestServerOptions { Users = new Dictionary<string, string> { [User] = password } },
            ct);
        await server.SetBehaviourAsync(
            new SmtpTestServerBehaviour
            {
                AuthReply = new SmtpTestReply(535, "5.7.8 Username and Password not accepted. For more information, go to https://support.google.com/mail/?p=BadCredentials"),
            },
            ct);
        await using var mail = TestMailer.For(server, o => Basic(o, password));

        // Act
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => mail.Mailer.SendTestMailAsync(Recipient, cancellationToken: ct));

        // Assert
        Assert.Equal(SystemMailErrorKind.Authentication, ex.Kind);
        Assert.Equal(535, ex.StatusCode);
        Assert.Equal("5.7.8", ex.EnhancedStatusCode);
        Assert.StartsWith("5.7.8 Username and Password not accepted", ex.ServerResponse, StringComparison.Ordinal);
        // 5.7.8 is RFC 4954's "authentication credentials invalid", sent by every server: for a custom provider
        // the hint must not send the administrator to Google's app passwords.
        Assert.Equal(Hints.WrongCredentials.ToString(), ex.GetHint(CultureInfo.InvariantCulture));
        SecretAssert.NotIn(ex, password);
    }

    [Fact]
    public async Task SendTestMailAsync_TemporaryAuthenticationFailure_ThrowsTransient()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        var password = SecretAssert.NewMarkerPassword();
        await using var server = await SmtpTestServer.StartAsync(
            new SmtpTestServerOptions { Users = new Dictionary<string, string> { [User] = password } },
            ct);
        await server.SetBehaviourAsync(new SmtpTestServerBehaviour { AuthReply = new SmtpTestReply(454, "4.7.0 Temporary authentication failure") }, ct);
        await using var mail = TestMailer.For(server, o => Basic(o, password));

        // Act
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => mail.Mailer.SendTestMailAsync(Recipient, cancellationToken: ct));

        // Assert
        Assert.Equal(SystemMailErrorKind.Transient, ex.Kind);
        Assert.Equal(454, ex.StatusCode);
        Assert.Equal("4.7.0", ex.EnhancedStatusCode);
        Assert.True(ex.IsTransient);
        SecretAssert.NotIn(ex, password);
    }

    [Fact]
    public async Task SendTestMailAsync_ServerOffersNoAuth_ThrowsConfiguration()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        var password = SecretAssert.NewMarkerPassword();
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { AuthDisabled = true, AuthOptional = true }, ct);
        await using var mail = TestMailer.For(server, o => Basic(o, password));

        // Act
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => mail.Mailer.SendTestMailAsync(Recipient, cancellationToken: ct));

        // Assert
        Assert.Equal(SystemMailErrorKind.Configuration, ex.Kind);
        Assert.Equal(Hints.AuthNotOffered(server.Host + ":" + server.Port, SmtpSecurity.StartTls).ToString(), ex.GetHint(CultureInfo.InvariantCulture));
        Assert.Empty(await server.GetMessagesAsync(ct));
    }

    private static void Basic(SystemMailOptions options, string password)
    {
        options.Authentication = SmtpAuthenticationType.Basic;
        options.Username = User;
        options.Password = password;
    }
}
