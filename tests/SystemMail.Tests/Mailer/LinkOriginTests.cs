using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.Mailer;

/// <summary>
/// The links of the system mails point at Product.Url's origin (or an allowed one), so a reset link made from a forged
/// Host header is never mailed; a refused mail reaches no server.
/// </summary>
public sealed class LinkOriginTests : IClassFixture<OpenRelaySmtpServerFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private readonly OpenRelaySmtpServerFixture _fixture;

    public LinkOriginTests(OpenRelaySmtpServerFixture fixture)
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

    private TestMailer Mailer(Action<SystemMailProductOptions>? product = null) => TestMailer.For(Server, o =>
    {
        o.Authentication = SmtpAuthenticationType.None;
        o.Product.Url = new Uri("https://portal.acme.test/");
        product?.Invoke(o.Product);
    });

    [Theory]
    [InlineData("https://evil.example/Account/ResetPassword?code=abc")]
    [InlineData("http://portal.acme.test/Account/ResetPassword?code=abc")]
    [InlineData("https://portal.acme.test:8443/Account/ResetPassword?code=abc")]
    [InlineData("https://portal.acme.test.evil.example/Account/ResetPassword?code=abc")]
    [InlineData("https://portal.acme.test@evil.example/Account/ResetPassword?code=abc")]
    public async Task SendPasswordResetAsync_LinkToAnotherOrigin_ThrowsLinkNotAllowedWithoutConnecting(string link)
    {
        await using var mail = Mailer();

        var ex = await Assert.ThrowsAsync<SystemMailException>(() => mail.Mailer.SendPasswordResetAsync("user@acme.test", new Uri(link), Hour, cancellationToken: Ct));

        Assert.Equal(SystemMailErrorKind.LinkNotAllowed, ex.Kind);
        Assert.Equal(nameof(Hints.LinkOriginNotAllowed), ex.HintId);
        Assert.Contains("https://portal.acme.test", ex.GetHint(), StringComparison.Ordinal);
        Assert.Equal(0, (await Server.GetStatsAsync(Ct)).Connections);
        var line = Assert.Single(mail.Logs.Collector.GetSnapshot(), r => r.Id.Name == "LinkNotAllowed");
        Assert.DoesNotContain("code=abc", line.Message, StringComparison.Ordinal); // the origin, never the token
    }

    [Fact]
    public async Task SendActivationAsync_LinkToProductUrlsOrigin_Delivered()
    {
        await using var mail = Mailer();

        await mail.Mailer.SendActivationAsync("user@acme.test", new Uri("https://PORTAL.acme.test:443/Account/ConfirmEmail?code=x"), Hour, cancellationToken: Ct);

        var received = Assert.Single(await Server.GetMessagesAsync(Ct));
        Assert.Contains("https://portal.acme.test/Account/ConfirmEmail?code=x", received.Message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAccountLockedOutAsync_UnlockLinkToAnAllowedOrigin_Delivered()
    {
        await using var mail = Mailer(p => p.AllowedLinkOrigins.Add("https://accounts.acme.test"));

        await mail.Mailer.SendAccountLockedOutAsync("user@acme.test", null, new Uri("https://accounts.acme.test/unlock?u=1"), cancellationToken: Ct);
        var refused = await Assert.ThrowsAsync<SystemMailException>(() => mail.Mailer.SendPasswordWasResetAsync("user@acme.test", new Uri("https://evil.example/login"), cancellationToken: Ct));

        Assert.Single(await Server.GetMessagesAsync(Ct));
        Assert.Equal(SystemMailErrorKind.LinkNotAllowed, refused.Kind);
    }

    [Fact]
    public async Task SendPasswordResetAsync_CheckTurnedOff_AnyLinkDelivered()
    {
        await using var mail = Mailer(p => p.CheckLinkOrigins = false);

        await mail.Mailer.SendPasswordResetAsync("user@acme.test", new Uri("https://elsewhere.acme.test/reset"), Hour, cancellationToken: Ct);

        Assert.Single(await Server.GetMessagesAsync(Ct));
    }

    [Fact]
    public async Task SendPasswordResetAsync_NoProductUrl_AnyLinkDelivered()
    {
        await using var mail = TestMailer.For(Server, o => o.Authentication = SmtpAuthenticationType.None);

        await mail.Mailer.SendPasswordResetAsync("user@acme.test", new Uri("https://elsewhere.acme.test/reset"), Hour, cancellationToken: Ct);

        Assert.Single(await Server.GetMessagesAsync(Ct));
    }

    [Fact]
    public async Task SendPasswordResetAsync_LinkRefused_DoesNotCountAgainstTheRecipientLimit()
    {
        await using var mail = TestMailer.For(Server, o =>
        {
            o.Authentication = SmtpAuthenticationType.None;
            o.Product.Url = new Uri("https://portal.acme.test/");
            o.RecipientLimit.Enabled = true;
            o.RecipientLimit.PermitLimit = 1;
        });

        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<SystemMailException>(() => mail.Mailer.SendPasswordResetAsync("user@acme.test", new Uri("https://evil.example/r"), Hour, cancellationToken: Ct));
        }

        await mail.Mailer.SendPasswordResetAsync("user@acme.test", new Uri("https://portal.acme.test/r"), Hour, cancellationToken: Ct);
        Assert.Single(await Server.GetMessagesAsync(Ct));
    }

    [Fact]
    public void Options_AllowedLinkOriginNotAnHttpUrl_NamedAtValidation()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SystemMail:From"] = "no-reply@acme.test",
            ["SystemMail:Host"] = "smtp.acme.test",
            ["SystemMail:Product:Url"] = "https://portal.acme.test/",
            ["SystemMail:Product:AllowedLinkOrigins:0"] = "https://accounts.acme.test",
            ["SystemMail:Product:AllowedLinkOrigins:1"] = "accounts.acme.test",
        }).Build();
        var services = new ServiceCollection();
        services.AddSystemMail(configuration);
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SystemMailOptions>>().Value);

        Assert.Contains(ex.Failures, f => f.Contains("Product.AllowedLinkOrigins:1", StringComparison.Ordinal) && f.Contains("'accounts.acme.test'", StringComparison.Ordinal));
        Assert.DoesNotContain(ex.Failures, f => f.Contains("AllowedLinkOrigins:0", StringComparison.Ordinal));
    }
}
