using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.AspNetCore.Tests.Identity;

/// <summary>
/// The Identity sender fails closed and says nothing: a link at another site, or a recipient past its limit, sends no
/// mail and returns as a sent mail does, so the caller's answer cannot tell a stranger which addresses have an account.
/// </summary>
public sealed class IdentityAbuseTests : IAsyncLifetime
{
    private SmtpTestServer _smtp = null!;
    private ServiceProvider _services = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IEmailSender<IdentityUser> Sender => _services.GetRequiredService<IEmailSender<IdentityUser>>();

    public async ValueTask InitializeAsync()
    {
        _smtp = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { AuthOptional = true }, Ct);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.AddIdentityCore<IdentityUser>().AddDefaultTokenProviders().AddApiEndpoints();
        services.AddSystemMail(o =>
        {
            o.From = "Acme IoT <no-reply@acme.test>";
            o.Host = _smtp.Host;
            o.Port = _smtp.Port;
            o.ServerCertificateValidationCallback = _smtp.TestCertificate.Pin();
            o.Product.Url = new Uri("https://iot.acme.test/");
            o.RecipientLimit.PermitLimit = 2;
        }).AddIdentityEmailSender<IdentityUser>();
        _services = services.BuildServiceProvider();
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    [Fact]
    public async Task SendPasswordResetLinkAsync_LinkToAnotherSite_ReturnsAndSendsNothing()
    {
        await Sender.SendPasswordResetLinkAsync(new IdentityUser(), "user@acme.test", "http://evil.example/Account/ResetPassword?code=Q2ZE&amp;email=user%40acme.test");
        await Sender.SendConfirmationLinkAsync(new IdentityUser(), "user@acme.test", "http://evil.example/confirmEmail?userId=1&amp;code=x");

        Assert.Empty(await _smtp.GetMessagesAsync(Ct));
        Assert.Equal(0, (await _smtp.GetStatsAsync(Ct)).Connections);
    }

    [Fact]
    public async Task SendPasswordResetCodeAsync_PastTheRecipientLimit_ReturnsAsForASentMail()
    {
        for (var i = 0; i < 5; i++)
        {
            await Sender.SendPasswordResetCodeAsync(new IdentityUser(), "user@acme.test", $"code-{i}");
        }

        Assert.Equal(2, (await _smtp.GetMessagesAsync(Ct)).Count);
    }

    [Fact]
    public async Task SendPasswordResetLinkAsync_ServerRefusesTheMail_StillThrows()
    {
        // Only the refusals that protect users are silent; a failing server is the host's to see.
        await _smtp.SetBehaviourAsync(new SmtpTestServerBehaviour { DataReply = new SmtpTestReply(554, "5.7.1 Message rejected") }, Ct);

        var ex = await Assert.ThrowsAsync<SystemMailException>(() => Sender.SendPasswordResetLinkAsync(new IdentityUser(), "user@acme.test", "https://iot.acme.test/Account/ResetPassword?code=Q2ZE"));

        Assert.Equal(SystemMailErrorKind.MessageRejected, ex.Kind);
    }
}
