using System.Globalization;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.Sending;

/// <summary>
/// What only a send does with the envelope: the SIZE it declares, and the server's refusal of it, and the Message-Id
/// of a host's message. Refusals of MAIL FROM, RCPT TO and DATA, sent and diagnosed alike, are in
/// <see cref="Connection.EnvelopeRefusalTests"/> and <see cref="Connection.KnownEnvelopeFailureTests"/>.
/// </summary>
public sealed class EnvelopeRejectionTests : IClassFixture<BasicAuthSmtpServerFixture>, IAsyncLifetime
{
    private const string User = BasicAuthSmtpServerFixture.User;
    private const string Password = BasicAuthSmtpServerFixture.Password;
    private readonly BasicAuthSmtpServerFixture _fixture;

    public EnvelopeRejectionTests(BasicAuthSmtpServerFixture fixture)
    {
        _fixture = fixture;
    }

    private SmtpTestServer SmtpServer => _fixture.Server;

    public ValueTask InitializeAsync() => new(SmtpServer.ResetAsync(TestContext.Current.CancellationToken));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task SendTestMailAsync_MessageOverSizeLimit_ThrowsMessageRejected()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var small = await StartServerAsync(maxMessageSize: 1024, ct);
        await using var mail = CreateMailer(small);

        // Act
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => mail.Mailer.SendTestMailAsync("somebody@example.com", cancellationToken: ct));

        // Assert
        // RFC 1870: the server refuses MAIL FROM with 552 when the declared SIZE is over its limit; the sender is fine.
        Assert.Equal(SystemMailErrorKind.MessageRejected, ex.Kind);
        Assert.Equal(552, ex.StatusCode);
        Assert.Equal(Hints.MessageRejected.ToString(), ex.GetHint(CultureInfo.InvariantCulture));
        Assert.Empty(await small.GetMessagesAsync(ct));
    }

    [Fact]
    public async Task SendActivationAsync_ServerOffersSize_DeclaresAnUpperBoundWithoutMeasuring()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var server = await StartServerAsync(maxMessageSize: 10_000_000, ct);
        await using var mail = CreateMailer(server);

        // Act
        await mail.Mailer.SendActivationAsync("new.user@example.com", new Uri("https://app.example.com/activate?token=abc"), TimeSpan.FromHours(24), cancellationToken: ct);

        // Assert
        var received = Assert.Single(await server.GetMessagesAsync(ct));
        // The estimate is above the exact size (MailKit's measuring pass would give the exact size), and bounds it.
        Assert.NotNull(received.DeclaredSize);
        Assert.InRange(received.DeclaredSize.Value, received.Size + 1, 8 * received.Size);
    }

    [Fact]
    public async Task SendAsync_HostMessage_DeclaresItsMeasuredSize()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var server = await StartServerAsync(maxMessageSize: 10_000_000, ct);
        await using var mail = CreateMailer(server);
        using var message = new MimeKit.MimeMessage();
        message.To.Add(MimeKit.MailboxAddress.Parse("somebody@example.com"));
        message.Subject = "Host mail";
        message.Body = new MimeKit.TextPart("plain") { Text = "Hello from the host.\n" };

        // Act
        await mail.Mailer.SendAsync(message, ct);

        // Assert
        var received = Assert.Single(await server.GetMessagesAsync(ct));
        Assert.Equal(received.Size, received.DeclaredSize);
    }

    [Fact]
    public async Task SendAsync_HostMessageWithoutMessageIdOfItsOwn_GetsOneInTheSendersDomain()
    {
        // Arrange: MimeKit gives a new message a Message-Id in the machine's domain; the caller set none.
        var ct = TestContext.Current.CancellationToken;
        await using var server = await StartServerAsync(maxMessageSize: 10_000_000, ct);
        await using var mail = CreateMailer(server);
        using var message = new MimeKit.MimeMessage();
        message.To.Add(MimeKit.MailboxAddress.Parse("somebody@example.com"));
        message.Subject = "Host mail";
        message.Body = new MimeKit.TextPart("plain") { Text = "Hello from the host.\n" };

        // Act
        var sent = await mail.Mailer.SendAsync(message, ct);

        // Assert
        var received = Assert.Single(await server.GetMessagesAsync(ct));
        Assert.Equal(sent.MessageId, received.Message.MessageId);
        Assert.EndsWith("@" + TestMailer.Sender.Split('@')[1], received.Message.MessageId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_HostMessageWithItsOwnMessageId_KeepsIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await StartServerAsync(maxMessageSize: 10_000_000, ct);
        await using var mail = CreateMailer(server);
        using var message = new MimeKit.MimeMessage { MessageId = "order-42@shop.example" };
        message.To.Add(MimeKit.MailboxAddress.Parse("somebody@example.com"));
        message.Body = new MimeKit.TextPart("plain") { Text = "Order 42.\n" };

        await mail.Mailer.SendAsync(message, ct);

        Assert.Equal("order-42@shop.example", Assert.Single(await server.GetMessagesAsync(ct)).Message.MessageId);
    }

    /// <summary>A server of its own that offers SIZE with <paramref name="maxMessageSize"/> as its limit.</summary>
    private static Task<SmtpTestServer> StartServerAsync(long maxMessageSize, CancellationToken ct) =>
        SmtpTestServer.StartAsync(new SmtpTestServerOptions { Users = new Dictionary<string, string> { [User] = Password }, MaxMessageSize = maxMessageSize }, ct);

    private TestMailer CreateMailer() => CreateMailer(SmtpServer);

    private static TestMailer CreateMailer(SmtpTestServer server) => TestMailer.For(server, o =>
    {
        o.Authentication = SmtpAuthenticationType.Basic;
        o.Username = User;
        o.Password = Password;
    });
}
