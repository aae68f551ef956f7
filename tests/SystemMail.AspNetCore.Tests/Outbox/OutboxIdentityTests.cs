using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.AspNetCore.Tests.Outbox;

/// <summary>Identity's sign-up and forgot-password with the outbox registered and no mail server listening.</summary>
public sealed class OutboxIdentityTests : IAsyncLifetime
{
    private OutboxSite _site = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _site = await OutboxSite.StartAsync(TcpPorts.GetUnusedPort(), Ct);

    public async ValueTask DisposeAsync() => await _site.DisposeAsync();

    /// <summary>Confirms the account as its activation link would, so forgot-password sends to it.</summary>
    private async Task ConfirmAsync(string email)
    {
        await using var scope = _site.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = await users.FindByEmailAsync(email);
        Assert.NotNull(user);
        Assert.True((await users.ConfirmEmailAsync(user, await users.GenerateEmailConfirmationTokenAsync(user))).Succeeded);
    }

    [Fact]
    public async Task RegisterAndForgotPassword_MailServerDown_AnswerAtOnceAlikeAndTheMailsWaitInTheOutbox()
    {
        using var http = _site.CreateClient(user: null);

        using var registered = await http.PostAsJsonAsync("/register", new { email = "new.user@acme.test", password = "New-user-1!" }, Ct);
        await ConfirmAsync("new.user@acme.test");
        using var forgotKnown = await http.PostAsJsonAsync("/forgotPassword", new { email = "new.user@acme.test" }, Ct);
        using var forgotUnknown = await http.PostAsJsonAsync("/forgotPassword", new { email = "nobody@acme.test" }, Ct);

        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        Assert.Equal(HttpStatusCode.OK, forgotKnown.StatusCode);
        Assert.Equal(forgotKnown.StatusCode, forgotUnknown.StatusCode);
        Assert.Equal(await forgotKnown.Content.ReadAsStringAsync(Ct), await forgotUnknown.Content.ReadAsStringAsync(Ct));
        var pending = await _site.Outbox.ListAsync(OutboxMailStatus.Pending, cancellationToken: Ct);
        Assert.Equal(["Activation", "PasswordResetCode"], pending.Select(m => m.Kind).Order());
        foreach (var mail in pending)
        {
            var tried = await _site.WaitForAsync(mail.Id, m => m.Attempts > 0, Ct);
            Assert.Equal(OutboxMailStatus.Pending, tried.Status);
            Assert.Equal(SystemMailErrorKind.Connection, tried.LastErrorKind);
        }
    }
}
