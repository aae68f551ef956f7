using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace SystemMail.Tests.Mailer;

/// <summary>Bad arguments are refused before anything is rendered or sent, naming the parameter.</summary>
public sealed class MailArgumentsTests
{
    private static ISystemMailer Mailer()
    {
        var services = new ServiceCollection();
        services.AddSystemMail(o =>
        {
            o.From = "no-reply@acme.test";
            o.Host = "127.0.0.1";
            o.Port = 1;
            o.Security = SmtpSecurity.None;
        });
        return services.BuildServiceProvider().GetRequiredService<ISystemMailer>();
    }

    private static readonly Uri Link = new("https://app.acme.test/x");

    [Theory]
    [InlineData("")]
    [InlineData("not-an-address")]
    [InlineData("user@")]
    [InlineData("user@acme.test\r\nBcc: evil@x.test")]
    [InlineData("user@acme.test\nX: y")]
    public async Task SendActivationAsync_BadRecipient_ThrowsNamingRecipient(string recipient)
    {
        var exception = await Assert.ThrowsAnyAsync<ArgumentException>(() => Mailer().SendActivationAsync(recipient, Link, TimeSpan.FromHours(1), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal("recipient", exception.ParamName);
    }

    [Theory]
    [InlineData("/relative/path")]
    [InlineData("ftp://app.acme.test/x")]
    [InlineData("javascript:alert(1)")]
    public async Task SendPasswordResetAsync_LinkNotAbsoluteHttp_ThrowsNamingLink(string link)
    {
        var uri = new Uri(link, UriKind.RelativeOrAbsolute);

        var exception = await Assert.ThrowsAnyAsync<ArgumentException>(() => Mailer().SendPasswordResetAsync("user@acme.test", uri, TimeSpan.FromHours(1), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal("resetLink", exception.ParamName);
    }

    [Fact]
    public async Task SendActivationAsync_LifetimeNotPositive_ThrowsNamingLifetime()
    {
        var exception = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Mailer().SendActivationAsync("user@acme.test", Link, TimeSpan.Zero, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal("linkLifetime", exception.ParamName);
    }

    [Theory]
    [InlineData("12\r\n34")]
    [InlineData("")]
    public async Task SendVerificationCodeAsync_BadCode_ThrowsNamingCode(string code)
    {
        var exception = await Assert.ThrowsAnyAsync<ArgumentException>(() => Mailer().SendVerificationCodeAsync("user@acme.test", code, TimeSpan.FromMinutes(5), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal("code", exception.ParamName);
    }

    [Fact]
    public async Task SendAccountLockedOutAsync_NeitherEndNorLink_ThrowsNamingLockoutEnd()
    {
        var exception = await Assert.ThrowsAsync<ArgumentException>(() => Mailer().SendAccountLockedOutAsync("user@acme.test", null, null, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal("lockoutEnd", exception.ParamName);
    }

    [Fact]
    public async Task SendAsync_MessageWithoutRecipients_ThrowsNamingMessage()
    {
        var exception = await Assert.ThrowsAsync<ArgumentException>(() => Mailer().SendAsync(new MimeMessage(), TestContext.Current.CancellationToken));

        Assert.Equal("message", exception.ParamName);
    }

    [Fact]
    public async Task SendTestMailAsync_CancelledToken_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Mailer().SendTestMailAsync("user@acme.test", cancellationToken: cts.Token));
    }
}
