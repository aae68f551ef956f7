using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SystemMail.Tests.Diagnostics;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.Secrets;

/// <summary>
/// A stored password, client secret or token goes only to the destination it was saved for. Each test changes one part
/// of the destination and proves, at real servers and a real proxy on 127.0.0.1 that would accept the credential, that
/// nothing reached them: no connection, no AUTH.
/// </summary>
public sealed class StoredSecretDestinationTests
{
    private const string User = "mailer@systemmail.test";
    private const string ClientSecret = "Cs-destination-tests";

    public static TheoryData<string> BasicParts => ["port", "host", "security", "username", "proxy"];

    [Theory]
    [MemberData(nameof(BasicParts))]
    public async Task TestConnectionAsync_BasicDestinationPartChangedAndPasswordBlank_StopsAtSettingsAndNothingIsSent(string part)
    {
        // Arrange: both servers and the proxy take the stored password, so a leak would succeed and be recorded.
        var ct = TestContext.Current.CancellationToken;
        var password = SecretAssert.NewMarkerPassword();
        await using var saved = await StartServerAsync(password, ct);
        await using var elsewhere = await StartServerAsync(password, ct);
        await using var proxy = ProxyTestServer.Start(new ProxyTestServerOptions { Protocol = ProxyTestProtocol.Http });
        await using var mail = TestMailer.For(saved, o => Basic(o, password));
        await saved.ResetAsync(ct);

        // Act
        var report = await mail.Diagnostics().TestConnectionAsync(o =>
        {
            o.Password = null;
            switch (part)
            {
                case "port": o.Port = elsewhere.Port; break;
                case "host": o.Host = "localhost"; break;
                case "security": o.Security = SmtpSecurity.None; break;
                case "username": o.Username = "other." + User; break;
                case "proxy": o.Proxy = new SmtpProxyOptions { Type = SmtpProxyType.Http, Host = proxy.Host, Port = proxy.Port }; break;
            }
        }, CultureInfo.InvariantCulture, ct);

        // Assert
        DiagnosticAssert.FailedAt(report, SmtpDiagnosticStage.Settings, SystemMailErrorKind.Configuration, nameof(Hints.StoredSecretNotReused));
        Assert.Empty(report.StoredSecretsUsed);
        Assert.Equal(0, (await saved.GetStatsAsync(ct)).Connections);
        Assert.Equal(0, (await elsewhere.GetStatsAsync(ct)).Connections);
        Assert.Equal(0, proxy.AcceptedConnections);
        SecretAssert.NotIn(mail.Logs.Collector, password);
    }

    [Fact]
    public async Task TestConnectionAsync_SameDestinationAndPasswordBlank_UsesTheStoredPassword()
    {
        // Arrange: the counterpart of the test above, so that one cannot pass by refusing everything.
        var ct = TestContext.Current.CancellationToken;
        var password = SecretAssert.NewMarkerPassword();
        await using var saved = await StartServerAsync(password, ct);
        await using var mail = TestMailer.For(saved, o => Basic(o, password));

        // Act
        var report = await mail.Diagnostics().TestConnectionAsync(o =>
        {
            o.Password = null;
            o.From = "Changed <changed@systemmail.test>";
        }, CultureInfo.InvariantCulture, ct);

        // Assert
        Assert.True(report.Succeeded, report.ToString());
        Assert.Equal(["Password"], report.StoredSecretsUsed);
        Assert.True(Assert.Single((await saved.GetStatsAsync(ct)).AuthAttempts).Success);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(ClientSecret)]
    public async Task TestConnectionAsync_OAuth2PortChanged_StopsAtSettingsAndTheOtherServerGetsNoToken(string? clientSecret)
    {
        // Arrange: the stored access token is accepted by both servers.
        var ct = TestContext.Current.CancellationToken;
        var token = $"ya29.{Guid.NewGuid():N}";
        await using var saved = await StartXOAuth2ServerAsync(token, ct);
        await using var elsewhere = await StartXOAuth2ServerAsync(token, ct);
        await using var mail = TestMailer.For(saved, OAuth2);
        await OAuth2Tokens.SaveAsync(mail, token, ct);

        // Act
        var report = await mail.Diagnostics().TestConnectionAsync(o =>
        {
            o.Port = elsewhere.Port;
            o.OAuth2.ClientSecret = clientSecret;
        }, CultureInfo.InvariantCulture, ct);

        // Assert
        Assert.False(report.Succeeded);
        Assert.Equal(SmtpDiagnosticStage.Settings, report.FailedStage);
        Assert.Empty(report.StoredSecretsUsed);
        Assert.Equal(0, (await elsewhere.GetStatsAsync(ct)).Connections);
        Assert.Equal(0, (await saved.GetStatsAsync(ct)).Connections);
        SecretAssert.NotIn(mail.Logs.Collector, token);
    }

    public static TheoryData<string> OAuth2Parts =>
        ["port", "host", "security", "proxy", "username", "flow", "client ID", "tenant", "authorization endpoint", "token endpoint", "scopes", "redirect URI"];

    [Theory]
    [MemberData(nameof(OAuth2Parts))]
    public async Task TestConnectionAsync_OAuth2DestinationPartChanged_StopsAtSettingsAndNoServerOrProxyGetsAnything(string part)
    {
        // Arrange: the stored token is accepted by both servers; the proxy would tunnel to either.
        var ct = TestContext.Current.CancellationToken;
        var token = $"ya29.{Guid.NewGuid():N}";
        await using var saved = await StartXOAuth2ServerAsync(token, ct);
        await using var elsewhere = await StartXOAuth2ServerAsync(token, ct);
        await using var proxy = ProxyTestServer.Start(new ProxyTestServerOptions { Protocol = ProxyTestProtocol.Http });
        await using var mail = TestMailer.For(saved, OAuth2);
        await OAuth2Tokens.SaveAsync(mail, token, ct);

        // Act: the client secret typed again, so only the destination decides.
        var report = await mail.Diagnostics().TestConnectionAsync(o => ChangeOAuth2Part(o, part, elsewhere.Port, proxy), CultureInfo.InvariantCulture, ct);

        // Assert
        Assert.Equal(SmtpDiagnosticStage.Settings, report.FailedStage);
        Assert.Contains(Label(part), report.Error, StringComparison.Ordinal);
        Assert.Equal(0, (await saved.GetStatsAsync(ct)).Connections);
        Assert.Equal(0, (await elsewhere.GetStatsAsync(ct)).Connections);
        Assert.Equal(0, proxy.AcceptedConnections);
        Assert.Equal(OAuthTokenState.Generated, (await mail.Services.GetRequiredService<IOAuthTokenService>().GetStatusAsync(ct)).State);
    }

    [Theory]
    [MemberData(nameof(OAuth2Parts))]
    public async Task SendAsync_OAuth2DestinationPartChangedAndReloaded_TokensDiscardedAndNoServerOrProxyGetsThem(string part)
    {
        // Arrange: the stored token has been used on the saved server; then the settings change one part.
        var ct = TestContext.Current.CancellationToken;
        var token = $"ya29.{Guid.NewGuid():N}";
        await using var saved = await StartXOAuth2ServerAsync(token, ct);
        await using var elsewhere = await StartXOAuth2ServerAsync(token, ct);
        await using var proxy = ProxyTestServer.Start(new ProxyTestServerOptions { Protocol = ProxyTestProtocol.Http });
        var configuration = OAuth2Configuration(saved.Port);
        await using var mail = TestMailer.FromConfiguration(configuration, o => o.ServerCertificateValidationCallback = TestCertificate.Localhost.Pin());
        await OAuth2Tokens.SaveAsync(mail, token, ct);
        await mail.Mailer.SendTestMailAsync("first@example.com", cancellationToken: ct);
        var authBefore = (await saved.GetStatsAsync(ct)).AuthAttempts.Count;

        // Act
        foreach (var (key, value) in ConfigurationFor(part, elsewhere.Port, proxy))
        {
            configuration[$"SystemMail:{key}"] = value;
        }

        configuration.Reload();
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => mail.Mailer.SendTestMailAsync("second@example.com", cancellationToken: ct));

        // Assert: no AUTH anywhere after the change, and the status names the part. (With the client-credentials flow
        // the new token is asked of the token endpoint, where nothing listens: a transient failure, still no AUTH.)
        Assert.Equal(part == "flow" ? SystemMailErrorKind.Transient : SystemMailErrorKind.Authentication, ex.Kind);
        Assert.Equal(authBefore, (await saved.GetStatsAsync(ct)).AuthAttempts.Count);
        Assert.Empty((await elsewhere.GetStatsAsync(ct)).AuthAttempts);
        Assert.Equal(0, proxy.AcceptedConnections);
        var status = await mail.Services.GetRequiredService<IOAuthTokenService>().GetStatusAsync(ct);
        Assert.Equal(OAuthTokenState.NotGenerated, status.State);
        Assert.Contains(Label(part), status.Reason, StringComparison.Ordinal);
    }

    private static string Label(string part) => part switch
    {
        "authorization endpoint" or "token endpoint" => "endpoints",
        _ => part,
    };

    private static void ChangeOAuth2Part(SystemMailOptions o, string part, int elsewherePort, ProxyTestServer proxy)
    {
        o.OAuth2.ClientSecret = ClientSecret;
        switch (part)
        {
            case "port": o.Port = elsewherePort; break;
            case "host": o.Host = "localhost"; break;
            case "security": o.Security = SmtpSecurity.SslOnConnect; break;
            case "proxy": o.Proxy = new SmtpProxyOptions { Type = SmtpProxyType.Http, Host = proxy.Host, Port = proxy.Port }; break;
            case "username": o.Username = "other." + User; break;
            case "flow": o.OAuth2.Flow = OAuthFlow.ClientCredentials; break;
            case "client ID": o.OAuth2.ClientId = "another-client"; break;
            case "tenant": o.OAuth2.TenantId = "another-tenant"; break;
            case "authorization endpoint": o.OAuth2.AuthorizationEndpoint = new Uri("https://127.0.0.1:1/other/authorize"); break;
            case "token endpoint": o.OAuth2.TokenEndpoint = new Uri("https://127.0.0.1:1/other/token"); break;
            case "scopes": o.OAuth2.Scopes = ["smtp.send", "offline_access"]; break;
            case "redirect URI": o.OAuth2.RedirectUri = new Uri("https://127.0.0.1:1/other/callback"); break;
        }
    }

    private static Dictionary<string, string?> ConfigurationFor(string part, int elsewherePort, ProxyTestServer proxy) => part switch
    {
        "port" => new() { ["Port"] = elsewherePort.ToString(CultureInfo.InvariantCulture) },
        "host" => new() { ["Host"] = "localhost" },
        "security" => new() { ["Security"] = "SslOnConnect" },
        "proxy" => new() { ["Proxy:Type"] = "Http", ["Proxy:Host"] = proxy.Host, ["Proxy:Port"] = proxy.Port.ToString(CultureInfo.InvariantCulture) },
        "username" => new() { ["Username"] = "other." + User },
        "flow" => new() { ["OAuth2:Flow"] = "ClientCredentials" },
        "client ID" => new() { ["OAuth2:ClientId"] = "another-client" },
        "tenant" => new() { ["OAuth2:TenantId"] = "another-tenant" },
        "authorization endpoint" => new() { ["OAuth2:AuthorizationEndpoint"] = "https://127.0.0.1:1/other/authorize" },
        "token endpoint" => new() { ["OAuth2:TokenEndpoint"] = "https://127.0.0.1:1/other/token" },
        "scopes" => new() { ["OAuth2:Scopes:1"] = "offline_access" },
        _ => new() { ["OAuth2:RedirectUri"] = "https://127.0.0.1:1/other/callback" },
    };

    [Fact]
    public async Task SendAsync_OAuth2SettingsReloadedToAnotherPort_TheStoredTokenNeverReachesTheNewServer()
    {
        // Arrange: the saved server has had the token; the configuration then points at another server.
        var ct = TestContext.Current.CancellationToken;
        var token = $"ya29.{Guid.NewGuid():N}";
        await using var saved = await StartXOAuth2ServerAsync(token, ct);
        await using var elsewhere = await StartXOAuth2ServerAsync(token, ct);
        var configuration = OAuth2Configuration(saved.Port);
        await using var mail = TestMailer.FromConfiguration(configuration, o => o.ServerCertificateValidationCallback = TestCertificate.Localhost.Pin());
        await OAuth2Tokens.SaveAsync(mail, token, ct);
        await mail.Mailer.SendTestMailAsync("first@example.com", cancellationToken: ct);

        // Act
        configuration["SystemMail:Port"] = elsewhere.Port.ToString(CultureInfo.InvariantCulture);
        configuration.Reload();
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => mail.Mailer.SendTestMailAsync("second@example.com", cancellationToken: ct));

        // Assert: the tokens belonged to the old destination; they are discarded, and the new server sees no AUTH.
        Assert.Equal(SystemMailErrorKind.Authentication, ex.Kind);
        Assert.Single(await saved.GetMessagesAsync(ct));
        var stats = await elsewhere.GetStatsAsync(ct);
        Assert.Empty(stats.AuthAttempts);
        Assert.Empty(await elsewhere.GetMessagesAsync(ct));
        var status = await mail.Services.GetRequiredService<IOAuthTokenService>().GetStatusAsync(ct);
        Assert.Equal(OAuthTokenState.NotGenerated, status.State);
        Assert.Contains("port", status.Reason, StringComparison.Ordinal);
    }

    private static void Basic(SystemMailOptions options, string password)
    {
        options.Authentication = SmtpAuthenticationType.Basic;
        options.Username = User;
        options.Password = password;
    }

    private static void OAuth2(SystemMailOptions options)
    {
        options.Authentication = SmtpAuthenticationType.OAuth2;
        options.Username = User;
        options.OAuth2 = new SmtpOAuthOptions
        {
            ClientId = "client",
            ClientSecret = ClientSecret,
            // Loopback addresses nothing listens on: these tests must never reach a token endpoint.
            AuthorizationEndpoint = new Uri("https://127.0.0.1:1/authorize"),
            TokenEndpoint = new Uri("https://127.0.0.1:1/token"),
            Scopes = ["smtp.send"],
            RedirectUri = new Uri("https://127.0.0.1:1/oauth2/callback"),
        };
    }

    private static IConfigurationRoot OAuth2Configuration(int port) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["SystemMail:From"] = $"SystemMail Tests <{TestMailer.Sender}>",
                ["SystemMail:Provider"] = "custom",
                ["SystemMail:Host"] = "127.0.0.1",
                ["SystemMail:Port"] = port.ToString(CultureInfo.InvariantCulture),
                ["SystemMail:Security"] = "StartTls",
                ["SystemMail:Authentication"] = "OAuth2",
                ["SystemMail:Username"] = User,
                ["SystemMail:OAuth2:ClientId"] = "client",
                ["SystemMail:OAuth2:ClientSecret"] = ClientSecret,
                ["SystemMail:OAuth2:AuthorizationEndpoint"] = "https://127.0.0.1:1/authorize",
                ["SystemMail:OAuth2:TokenEndpoint"] = "https://127.0.0.1:1/token",
                ["SystemMail:OAuth2:Scopes:0"] = "smtp.send",
                ["SystemMail:OAuth2:RedirectUri"] = "https://127.0.0.1:1/oauth2/callback",
                ["SystemMail:Timeout"] = "00:00:10",
            })
            .Build();

    private static Task<SmtpTestServer> StartServerAsync(string password, CancellationToken ct) =>
        SmtpTestServer.StartAsync(new SmtpTestServerOptions { Users = new Dictionary<string, string> { [User] = password } }, ct);

    private static async Task<SmtpTestServer> StartXOAuth2ServerAsync(string token, CancellationToken ct)
    {
        var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { AuthMethods = ["PLAIN", "LOGIN", "XOAUTH2"] }, ct);
        await server.SetXOAuth2TokensAsync([token], ct);
        return server;
    }
}
