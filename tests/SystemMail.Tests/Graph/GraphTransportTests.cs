using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using SystemMail.Tests.Infrastructure.OAuth2;

namespace SystemMail.Tests.Graph;

/// <summary>Sending through Microsoft Graph with the client-credentials flow, against the tests' Graph endpoint and authorization server.</summary>
public sealed class GraphTransportTests
{
    private static readonly Uri Link = new("https://portal.contoso.test/account?t=1");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<SystemMailKind> Kinds() => [.. Enum.GetValues<SystemMailKind>()];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task SendAsync_EveryMailKind_GraphReceivesTheMimeAsBuilt(SystemMailKind kind)
    {
        // Arrange
        await using var mail = await GraphMail.StartAsync(cancellationToken: Ct);
        var instance = mail.CreateInstance();
        var mailer = instance.GetRequiredService<ISystemMailer>();

        // Act
        var sent = await SendAsync(mailer, kind, "user@contoso.test");

        // Assert: the bytes Graph decoded are the bytes SystemMail built, for the mailbox in the URL.
        var received = Assert.Single(mail.Graph.Mails);
        Assert.Equal(mail.Mailbox, received.Mailbox);
        Assert.Equal(Assert.Single(mail.Built), received.Mime);
        var message = received.Parse();
        Assert.Equal(sent.MessageId, message.MessageId);
        Assert.Equal("user@contoso.test", Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal(mail.Mailbox, Assert.Single(message.From.Mailboxes).Address);
        Assert.NotNull(message.TextBody);
        Assert.NotNull(message.HtmlBody);
        Assert.StartsWith("202", sent.ServerResponse, StringComparison.Ordinal);
        Assert.Contains("request-id", sent.ServerResponse, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_OwnMimeMessage_GraphReceivesItByteForByteWithItsMessageId()
    {
        // Arrange
        await using var mail = await GraphMail.StartAsync(cancellationToken: Ct);
        var mailer = mail.CreateInstance().GetRequiredService<ISystemMailer>();
        using var message = new MimeMessage();
        message.To.Add(MailboxAddress.Parse("Ada <ada@contoso.test>"));
        message.Subject = "Report ✓";
        message.MessageId = "report-1@contoso.test";
        var body = new BodyBuilder { TextBody = "Attached.", HtmlBody = "<p>Attached.</p>" };
        body.Attachments.Add("report.csv", "a,b\r\n1,2\r\n"u8.ToArray(), ContentType.Parse("text/csv"));
        message.Body = body.ToMessageBody();

        // Act
        var sent = await mailer.SendAsync(message, Ct);

        // Assert
        var received = Assert.Single(mail.Graph.Mails);
        Assert.Equal(GraphMime.Write(message, Ct), received.Mime);
        Assert.Equal("report-1@contoso.test", sent.MessageId);
        Assert.Equal("report-1@contoso.test", received.Parse().MessageId);
    }

    [Fact]
    public async Task SendAsync_ManyMails_OneClientCredentialsTokenForGraphsAudience()
    {
        // Arrange
        await using var mail = await GraphMail.StartAsync(cancellationToken: Ct);
        var mailer = mail.CreateInstance().GetRequiredService<ISystemMailer>();

        // Act
        await Task.WhenAll(Enumerable.Range(0, 12).Select(i => SendAsync(mailer, SystemMailKind.Test, $"user{i}@contoso.test")));

        // Assert
        Assert.Equal(12, mail.Graph.Mails.Count);
        Assert.Equal(1, mail.Authorization.TokenRequests);
        Assert.Equal(1, mail.Authorization.GetTokenRequestCount(OAuth2GrantTypes.ClientCredentials));
        Assert.Equal("https://graph.microsoft.com/.default", mail.Authorization.LastTokenRequest!.Parameters["scope"]);
        Assert.Single(mail.Graph.Mails.Select(m => m.AccessToken).Distinct());
    }

    [Fact]
    public async Task SendAsync_GraphRefusesTheTokenOnce_FreshTokenAndDelivered()
    {
        // Arrange: the first token is revoked after it was cached.
        await using var mail = await GraphMail.StartAsync(cancellationToken: Ct);
        var mailer = mail.CreateInstance().GetRequiredService<ISystemMailer>();
        await SendAsync(mailer, SystemMailKind.Test, "first@contoso.test");
        mail.Authorization.RevokeAllAccessTokens();

        // Act
        await SendAsync(mailer, SystemMailKind.Test, "second@contoso.test");

        // Assert
        Assert.Equal(2, mail.Graph.Mails.Count);
        Assert.Equal(2, mail.Authorization.TokenRequests);
        Assert.NotEqual(mail.Graph.Mails[0].AccessToken, mail.Graph.Mails[1].AccessToken);
        Assert.Contains(mail.Logs.Collector.GetSnapshot(), r => r.Id.Id == 1600 && r.Id.Name == "GraphAccessTokenRejected");
    }

    [Fact]
    public async Task SendAsync_SecretAndTokens_NeverInLogs()
    {
        // Arrange
        await using var mail = await GraphMail.StartAsync(cancellationToken: Ct);
        var mailer = mail.CreateInstance().GetRequiredService<ISystemMailer>();
        await SendAsync(mailer, SystemMailKind.Test, "first@contoso.test");
        mail.Authorization.RevokeAllAccessTokens();
        await SendAsync(mailer, SystemMailKind.Test, "second@contoso.test");

        // Assert
        var logs = string.Join('\n', mail.Logs.Collector.GetSnapshot().Select(r => r.Message + r.Exception));
        Assert.DoesNotContain(mail.Authorization.Client.ClientSecret, logs, StringComparison.Ordinal);
        Assert.All(mail.Graph.Mails, m => Assert.DoesNotContain(m.AccessToken, logs, StringComparison.Ordinal));
    }

    internal static Task<SentMail> SendAsync(ISystemMailer mailer, SystemMailKind kind, string to) => kind switch
    {
        SystemMailKind.Activation => mailer.SendActivationAsync(to, Link, TimeSpan.FromHours(24), cancellationToken: Ct),
        SystemMailKind.AccountActivated => mailer.SendAccountActivatedAsync(to, Link, cancellationToken: Ct),
        SystemMailKind.PasswordReset => mailer.SendPasswordResetAsync(to, Link, TimeSpan.FromHours(1), cancellationToken: Ct),
        SystemMailKind.PasswordWasReset => mailer.SendPasswordWasResetAsync(to, Link, cancellationToken: Ct),
        SystemMailKind.AccountLockedOut => mailer.SendAccountLockedOutAsync(to, DateTimeOffset.UnixEpoch.AddYears(60), Link, cancellationToken: Ct),
        SystemMailKind.VerificationCode => mailer.SendVerificationCodeAsync(to, "123456", TimeSpan.FromMinutes(10), cancellationToken: Ct),
        SystemMailKind.PasswordResetCode => mailer.SendPasswordResetCodeAsync(to, "CfDJ8reset", TimeSpan.FromMinutes(10), cancellationToken: Ct),
        SystemMailKind.Test => mailer.SendTestMailAsync(to, cancellationToken: Ct),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
