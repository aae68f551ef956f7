using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using SystemMail.AspNetCore.Tests.Infrastructure;
using SystemMail.Tests.Infrastructure;
using SystemMail.Tests.Infrastructure.OAuth2;

namespace SystemMail.AspNetCore.Tests.Admin;

/// <summary>
/// Settings saved on the page may not reach this machine unless the host's configuration allows it: the pool's
/// connections after the save, and the OAuth2 endpoints, are checked before any connection.
/// </summary>
public sealed class DestinationPolicyPageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SendTestMailAsync_SavedServerAllowedThenMovedToAnotherLoopbackPort_PoolRefusesTheNewOneWithoutAConnection()
    {
        // Arrange: the host allows its relay's port only.
        await using var relay = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { AuthOptional = true }, Ct);
        await using var listener = SilentTcpServer.Start();
        await using var host = await AdminHost.StartAsync(o => o.AllowedDestinations = [$"127.0.0.1:{relay.Port}"], cancellationToken: Ct);
        using var admin = host.CreateClient();
        var mailer = host.Services.GetRequiredService<ISystemMailer>();
        await admin.SaveAsync(Plain("127.0.0.1", relay.Port));
        await mailer.SendTestMailAsync("admin@acme.test", cancellationToken: Ct);

        // Act: saved again, with "localhost" and another port; the pool reloads the settings.
        await admin.SaveAsync(Plain("localhost", listener.Port));
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => mailer.SendTestMailAsync("admin@acme.test", cancellationToken: Ct));

        // Assert
        Assert.Equal(SystemMailErrorKind.Configuration, ex.Kind);
        Assert.Equal("DestinationNotAllowed", ex.HintId);
        Assert.DoesNotContain("127.0.0.1", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, listener.AcceptedConnections);
        Assert.Single(await relay.GetMessagesAsync(Ct));
    }

    [Fact]
    public async Task TestConnection_SavedServerOnLoopbackNotAllowed_FailsAtSettings()
    {
        await using var listener = SilentTcpServer.Start();
        await using var host = await AdminHost.StartAsync(o => o.AllowedDestinations = [], cancellationToken: Ct);
        using var admin = host.CreateClient();
        await admin.SaveAsync(Plain("127.0.0.1", listener.Port));

        var report = await host.Services.GetRequiredService<ISystemMailDiagnostics>().TestConnectionAsync(cancellationToken: Ct);

        Assert.Equal(SmtpDiagnosticStage.Settings, report.FailedStage);
        Assert.Equal("DestinationNotAllowed", report.HintId);
        Assert.Equal(0, listener.AcceptedConnections);
    }

    [Fact]
    public async Task CompleteAuthorizationAsync_TokenEndpointSavedOnLoopback_RefusedBeforeAnyRequest()
    {
        // Arrange: the consent page is elsewhere; the token endpoint the page saved is on this machine.
        await using var oauth2 = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        await using var host = await AdminHost.StartAsync(o => o.AllowedDestinations = [], oauth2Server: oauth2, cancellationToken: Ct);
        using var admin = host.CreateClient();
        await admin.SaveAsync(OAuth2("https://login.example.test/authorize", oauth2.TokenEndpoint.AbsoluteUri));
        var tokens = host.Services.GetRequiredService<IOAuthTokenService>();
        var request = await tokens.CreateAuthorizationUrlAsync(cancellationToken: Ct);
        var state = QueryHelpers.ParseQuery(request.Url.Query)["state"].ToString();

        // Act
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => tokens.CompleteAuthorizationAsync("a-code", state, cancellationToken: Ct));

        // Assert
        Assert.Equal("DestinationNotAllowed", ex.HintId);
        Assert.Equal(0, oauth2.TotalRequests);
    }

    [Fact]
    public async Task CreateAuthorizationUrlAsync_PlainHttpAuthorizationEndpointSavedOnLoopback_Refused()
    {
        await using var host = await AdminHost.StartAsync(o => o.AllowedDestinations = [], cancellationToken: Ct);
        using var admin = host.CreateClient();
        await admin.SaveAsync(OAuth2("http://localhost:8080/authorize", "https://login.example.test/token"));

        var ex = await Assert.ThrowsAsync<SystemMailException>(() => host.Services.GetRequiredService<IOAuthTokenService>().CreateAuthorizationUrlAsync(cancellationToken: Ct));

        Assert.Equal("DestinationNotAllowed", ex.HintId);
    }

    private static object Plain(string host, int port) => new
    {
        from = "Acme IoT <no-reply@acme.test>",
        provider = "custom",
        host,
        port,
        security = "None",
        timeoutSeconds = 10,
        authentication = "None",
    };

    private static object OAuth2(string authorizationEndpoint, string tokenEndpoint) => new
    {
        from = "Acme IoT <no-reply@acme.test>",
        provider = "custom",
        host = "smtp.example.test",
        port = 587,
        security = "StartTls",
        authentication = "OAuth2",
        username = OAuth2TestUser.Default.Username,
        oauth2 = new
        {
            clientId = OAuth2TestServerOptions.DefaultClientId,
            clientSecret = OAuth2TestServerOptions.DefaultClientSecret,
            authorizationEndpoint,
            tokenEndpoint,
            scopes = new[] { "https://mail.test/smtp", "offline_access" },
        },
    };
}
