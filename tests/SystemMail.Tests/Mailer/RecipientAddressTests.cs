using System.Globalization;
using MimeKit;
using SystemMail.Tests.Diagnostics;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.Mailer;

/// <summary>
/// Recipients a mail goes to: a bare address within RFC 5321's lengths, without a character that changes the text
/// direction, with a non-ASCII local part only for a server that offers SMTPUTF8. A refused address fails before any
/// connection, except SMTPUTF8, which only the server's EHLO reply tells.
/// </summary>
public sealed class RecipientAddressTests : IClassFixture<OpenRelaySmtpServerFixture>, IAsyncLifetime
{
    private static readonly Uri Link = new("https://portal.acme.test/reset?t=1");
    private readonly OpenRelaySmtpServerFixture _fixture;

    public RecipientAddressTests(OpenRelaySmtpServerFixture fixture)
    {
        _fixture = fixture;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SmtpTestServer Server => _fixture.Server;

    public async ValueTask InitializeAsync()
    {
        await Server.ResetAsync(Ct);
        await Server.ResetStatsAsync(Ct);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task SendPasswordResetAsync_LocalPartOf5010Characters_ThrowsInvalidRecipientWithoutConnecting()
    {
        await using var mail = TestMailer.For(Server);
        var recipient = new string('a', 5010) + "@acme.test";

        var ex = await Assert.ThrowsAsync<SystemMailException>(() => mail.Mailer.SendPasswordResetAsync(recipient, Link, TimeSpan.FromHours(1), cancellationToken: Ct));

        Assert.Equal(SystemMailErrorKind.InvalidRecipient, ex.Kind);
        Assert.Equal(nameof(Hints.AddressTooLong), ex.HintId);
        Assert.DoesNotContain(recipient, ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await Server.GetStatsAsync(Ct)).Connections);
    }

    [Theory]
    [InlineData(64, true)]
    [InlineData(65, false)]
    public async Task SendTestMailAsync_LocalPartAtTheLimit_SentOnlyWithin64(int length, bool sent)
    {
        await using var mail = TestMailer.For(Server);
        var recipient = new string('b', length) + "@acme.test";

        var send = () => mail.Mailer.SendTestMailAsync(recipient, cancellationToken: Ct);

        if (sent)
        {
            await send();
            Assert.Equal([recipient], Assert.Single(await Server.GetMessagesAsync(Ct)).RcptTo);
        }
        else
        {
            Assert.Equal(SystemMailErrorKind.InvalidRecipient, (await Assert.ThrowsAsync<SystemMailException>(send)).Kind);
            Assert.Empty(await Server.GetMessagesAsync(Ct));
        }
    }

    [Fact]
    public async Task SendTestMailAsync_AddressOver254Characters_ThrowsInvalidRecipient()
    {
        await using var mail = TestMailer.For(Server);
        // 60 + 1 + 194 = 255 characters: every label within 63.
        var recipient = new string('c', 60) + "@" + string.Join('.', Enumerable.Repeat(new string('d', 63), 3)) + ".ab";

        var ex = await Assert.ThrowsAsync<SystemMailException>(() => mail.Mailer.SendTestMailAsync(recipient, cancellationToken: Ct));

        Assert.Equal(255, recipient.Length);
        Assert.Equal(nameof(Hints.AddressTooLong), ex.HintId);
    }

    [Theory]
    [InlineData("user\u202E@acme.test")]
    [InlineData("moc.elpmaxe@\u202Eadmin@acme.test")]
    [InlineData("us\u2066er@acme.test")]
    [InlineData("user@ac\u200Fme.test")]
    [InlineData("user\u061C@acme.test")]
    public async Task SendPasswordResetAsync_DirectionControlCharacter_ThrowsInvalidRecipientWithoutConnecting(string recipient)
    {
        await using var mail = TestMailer.For(Server);

        var ex = await Assert.ThrowsAsync<SystemMailException>(() => mail.Mailer.SendPasswordResetAsync(recipient, Link, TimeSpan.FromHours(1), cancellationToken: Ct));

        Assert.Equal(SystemMailErrorKind.InvalidRecipient, ex.Kind);
        Assert.Equal(nameof(Hints.AddressDirectionControl), ex.HintId);
        Assert.NotEqual(ex.GetHint(CultureInfo.InvariantCulture), ex.GetHint(CultureInfo.GetCultureInfo("de")));
        Assert.Equal(0, (await Server.GetStatsAsync(Ct)).Connections);
    }

    [Theory]
    [InlineData("Joe User <user@acme.test>")]
    [InlineData("<user@acme.test>")]
    [InlineData("user@acme.test (Joe)")]
    [InlineData("<@relay.acme.test:user@acme.test>")]
    public async Task SendActivationAsync_NotABareAddress_ThrowsInvalidRecipient(string recipient)
    {
        await using var mail = TestMailer.For(Server);

        var ex = await Assert.ThrowsAsync<SystemMailException>(() => mail.Mailer.SendActivationAsync(recipient, Link, TimeSpan.FromHours(1), cancellationToken: Ct));

        Assert.Equal(SystemMailErrorKind.InvalidRecipient, ex.Kind);
        Assert.Equal(nameof(Hints.RecipientNotBare), ex.HintId);
    }

    [Fact]
    public async Task SendAsync_HostMessageRecipientWithRightToLeftOverride_ThrowsInvalidRecipient()
    {
        await using var mail = TestMailer.For(Server);
        using var message = new MimeMessage();
        message.To.Add(new MailboxAddress("Support \u202Etset.emca@nimda", "support@acme.test"));
        message.Subject = "Host mail";
        message.Body = new TextPart("plain") { Text = "Hello.\n" };

        var ex = await Assert.ThrowsAsync<SystemMailException>(() => mail.Mailer.SendAsync(message, Ct));

        Assert.Equal(SystemMailErrorKind.InvalidRecipient, ex.Kind);
        Assert.Empty(await Server.GetMessagesAsync(Ct));
    }

    [Fact]
    public async Task SendTestMailAsync_NonAsciiLocalPartServerWithoutSmtpUtf8_ThrowsInvalidRecipientAndNothingArrives()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { AuthOptional = true, HideSmtpUtf8 = true }, Ct);
        await using var mail = TestMailer.For(server);

        var ex = await Assert.ThrowsAsync<SystemMailException>(() => mail.Mailer.SendTestMailAsync("用户@acme.test", cancellationToken: Ct));

        Assert.Equal(SystemMailErrorKind.InvalidRecipient, ex.Kind);
        Assert.Equal(nameof(Hints.SmtpUtf8NotOffered), ex.HintId);
        Assert.Contains($"{server.Host}:{server.Port}", ex.GetHint(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var stats = await server.GetStatsAsync(Ct);
        Assert.Equal(0, stats.CommandCount("MAIL"));
        Assert.Empty(await server.GetMessagesAsync(Ct));

        // The connection stays good for the next mail.
        await mail.Mailer.SendTestMailAsync("user@acme.test", cancellationToken: Ct);
        Assert.Single(await server.GetMessagesAsync(Ct));
        Assert.Equal(1, (await server.GetStatsAsync(Ct)).Connections);
    }

    [Fact]
    public async Task SendTestMailAsync_NonAsciiLocalPartServerWithSmtpUtf8_Delivered()
    {
        await using var mail = TestMailer.For(Server);

        await mail.Mailer.SendTestMailAsync("用户@acme.test", cancellationToken: Ct);

        var received = Assert.Single(await Server.GetMessagesAsync(Ct));
        Assert.Equal(["用户@acme.test"], received.RcptTo);
        Assert.Equal("用户@acme.test", Assert.Single(received.Message.To.Mailboxes).Address);
    }

    [Fact]
    public async Task DiagnosticsSendTestMailAsync_NonAsciiLocalPartServerWithoutSmtpUtf8_ReportFailsAtMailFromWithTheHint()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { AuthOptional = true, HideSmtpUtf8 = true }, Ct);
        await using var mail = TestMailer.For(server);

        var report = await mail.Diagnostics().SendTestMailAsync("用户@acme.test", cancellationToken: Ct);

        Assert.False(report.Succeeded);
        Assert.Equal(SmtpDiagnosticStage.MailFrom, report.FailedStage);
        Assert.Equal(SystemMailErrorKind.InvalidRecipient, report.ErrorKind);
        Assert.Equal(nameof(Hints.SmtpUtf8NotOffered), report.HintId);
        Assert.Equal(0, (await server.GetStatsAsync(Ct)).CommandCount("MAIL"));
    }
}
