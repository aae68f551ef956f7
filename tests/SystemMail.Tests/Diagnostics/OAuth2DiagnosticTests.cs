using Microsoft.Extensions.DependencyInjection;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.Diagnostics;

/// <summary>
/// XOAUTH2 through the diagnostics, against a real server that accepts a list of access tokens. The tokens come
/// from SystemMail's token manager and store in the states it keeps (none, generated, must be generated again);
/// the token endpoints are never called.
/// </summary>
public sealed class OAuth2DiagnosticTests
{
    private const string User = "mailer@systemmail.test";
    private const string ClientSecret = "Cs-oauth2-diagnostics";

    [Fact]
    public async Task TestConnectionAsync_TokensNeverGenerated_FailsAtAuthenticateBeforeAnyAuth()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var server = await StartServerAsync(ct);
        await using var mail = CreateMailer(server);

        // Act
        var report = await mail.Diagnostics().TestConnectionAsync(cancellationToken: ct);

        // Assert
        DiagnosticAssert.FailedAt(report, SmtpDiagnosticStage.Authenticate, SystemMailErrorKind.Authentication, nameof(Hints.GenerateAccessToken));
        Assert.Contains("No OAuth2 tokens are stored", report.Error, StringComparison.Ordinal);
        Assert.Contains("AUTH PLAIN LOGIN XOAUTH2", report.Capabilities);
        Assert.Empty((await server.GetStatsAsync(ct)).AuthAttempts);
    }

    [Fact]
    public async Task TestConnectionAsync_RefreshTokenRefusedEarlier_FailsAtAuthenticateSayingGenerateAgain()
    {
        // Arrange: the state the token manager saves when the provider refused the refresh token.
        var ct = TestContext.Current.CancellationToken;
        await using var server = await StartServerAsync(ct);
        await using var mail = CreateMailer(server);
        await OAuth2Tokens.SaveAsync(mail, null, ct, OAuthTokenState.MustRegenerate, "The provider refused the refresh token (invalid_grant: Token has been expired or revoked.).");

        // Act
        var report = await mail.Diagnostics().TestConnectionAsync(cancellationToken: ct);

        // Assert
        DiagnosticAssert.FailedAt(report, SmtpDiagnosticStage.Authenticate, SystemMailErrorKind.Authentication, nameof(Hints.RegenerateAccessToken));
        Assert.Contains("must be generated again", report.Error, StringComparison.Ordinal);
        Assert.Contains("invalid_grant", report.Error, StringComparison.Ordinal);
        Assert.Empty((await server.GetStatsAsync(ct)).AuthAttempts);
    }

    [Fact]
    public async Task SendTestMailAsync_StoredTokenAccepted_SendsWithXOAuth2AndKeepsTheTokenOutOfTheReport()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        var token = $"ya29.{Guid.NewGuid():N}";
        await using var server = await StartServerAsync(ct);
        await server.SetXOAuth2TokensAsync([token], ct);
        await using var mail = CreateMailer(server);
        await OAuth2Tokens.SaveAsync(mail, token, ct);

        // Act
        var report = await mail.Diagnostics().SendTestMailAsync("someone@example.com", cancellationToken: ct);

        // Assert
        Assert.True(report.Succeeded, report.ToString());
        Assert.Equal("XOAUTH2", report.AuthenticationMechanism);
        Assert.Equal(new SmtpAuthAttempt("XOAUTH2", User, Success: true), Assert.Single((await server.GetStatsAsync(ct)).AuthAttempts));
        Assert.Contains("C: AUTH XOAUTH2 ********", report.Transcript, StringComparison.Ordinal);
        TranscriptAssert.NoToken(report, token, User);
    }

    [Fact]
    public async Task TestConnectionAsync_UnsavedSettingsForAnotherClient_RefusesTheStoredTokensAndKeepsThem()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        var token = $"ya29.{Guid.NewGuid():N}";
        await using var server = await StartServerAsync(ct);
        await server.SetXOAuth2TokensAsync([token], ct);
        await using var mail = CreateMailer(server);
        await OAuth2Tokens.SaveAsync(mail, token, ct);
        var form = FormLikeSaved(server, o =>
        {
            o.OAuth2.ClientId = "another-client";
            o.OAuth2.ClientSecret = "Cs-another-client";
        });

        // Act
        var report = await mail.Diagnostics().TestConnectionAsync(form, cancellationToken: ct);
        var status = await mail.Services.GetRequiredService<IOAuthTokenService>().GetStatusAsync(ct);

        // Assert
        DiagnosticAssert.FailedAt(report, SmtpDiagnosticStage.Settings, SystemMailErrorKind.Authentication, nameof(Hints.SaveBeforeGeneratingAccessToken));
        Assert.Contains("client ID", report.Error, StringComparison.Ordinal);
        Assert.Equal(0, (await server.GetStatsAsync(ct)).Connections);
        // Testing other settings must not delete the tokens of the saved ones.
        Assert.Equal(OAuthTokenState.Generated, status.State);
    }

    [Fact]
    public async Task TestConnectionAsync_UnsavedSettingsWithBlankClientSecret_UsesTheStoredSecretAndTokens()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        var token = $"ya29.{Guid.NewGuid():N}";
        await using var server = await StartServerAsync(ct);
        await server.SetXOAuth2TokensAsync([token], ct);
        await using var mail = CreateMailer(server);
        await OAuth2Tokens.SaveAsync(mail, token, ct);
        var form = FormLikeSaved(server, o => o.OAuth2.ClientSecret = null);

        // Act
        var report = await mail.Diagnostics().TestConnectionAsync(form, cancellationToken: ct);

        // Assert
        Assert.True(report.Succeeded, report.ToString());
        Assert.Equal(["OAuth2.ClientSecret"], report.StoredSecretsUsed);
        Assert.Equal("XOAUTH2", report.AuthenticationMechanism);
    }

    [Theory]
    [InlineData(SmtpProviderTemplates.GoogleId, nameof(Hints.OAuth2TokenRefused))]
    [InlineData(SmtpProviderTemplates.Office365Id, nameof(Hints.Office365OAuth2Refused))]
    public async Task TestConnectionAsync_ProviderRefusesTheToken_FailsAtAuthenticateWithTheProvidersHintAndNoToken(string provider, string hintId)
    {
        // Arrange: a token the server does not accept (Office 365 answers "535 5.7.3 Authentication unsuccessful").
        var ct = TestContext.Current.CancellationToken;
        var token = $"ya29.{Guid.NewGuid():N}";
        await using var server = await StartServerAsync(ct);
        await server.SetXOAuth2TokensAsync(["another-token"], ct);
        if (provider == SmtpProviderTemplates.Office365Id)
        {
            await server.SetBehaviourAsync(new SmtpTestServerBehaviour { AuthReply = new SmtpTestReply(535, "5.7.3 Authentication unsuccessful [SN4PR0601CA0005.namprd06.prod.outlook.com]") }, ct);
        }

        await using var mail = TestMailer.Create(
            o =>
            {
                o.Provider = provider;
                o.ServerCertificateValidationCallback = server.TestCertificate.Pin();
                o.Authentication = SmtpAuthenticationType.OAuth2;
                o.Username = User;
                o.OAuth2 = new SmtpOAuthOptions
                {
                    ClientId = "client",
                    ClientSecret = ClientSecret,
                    TenantId = provider == SmtpProviderTemplates.Office365Id ? "contoso.onmicrosoft.com" : null,
                    RedirectUri = new Uri("https://127.0.0.1:1/oauth2/callback"),
                };
            },
            services =>
            {
                services.AddSingleton<ISmtpAuthenticator>(new StaticTokenAuthenticator(token));
                services.AddSingleton<ISmtpProviderTemplate>(new SmtpProviderTemplate
                {
                    Id = provider,
                    DisplayName = provider + " (test server)",
                    Host = server.Host,
                    Port = server.Port,
                    Security = SmtpSecurity.StartTls,
                    SupportedAuthentication = [SmtpAuthenticationType.OAuth2],
                    OAuth2 = new SmtpOAuthMetadata
                    {
                        // Office 365's endpoints name the tenant; loopback addresses nothing listens on.
                        AuthorizationEndpoint = provider == SmtpProviderTemplates.Office365Id ? "https://127.0.0.1:1/{tenant}/authorize" : "https://127.0.0.1:1/authorize",
                        TokenEndpoint = provider == SmtpProviderTemplates.Office365Id ? "https://127.0.0.1:1/{tenant}/token" : "https://127.0.0.1:1/token",
                        Scopes = ["smtp.send"],
                    },
                });
            });

        // Act
        var report = await mail.Diagnostics().TestConnectionAsync(cancellationToken: ct);

        // Assert
        DiagnosticAssert.FailedAt(report, SmtpDiagnosticStage.Authenticate, SystemMailErrorKind.Authentication, hintId);
        Assert.Equal(535, report.ServerReply?.StatusCode);
        Assert.Equal("XOAUTH2", report.AuthenticationMechanism);
        TranscriptAssert.NoToken(report, token, User);
    }

    private static Task<SmtpTestServer> StartServerAsync(CancellationToken cancellationToken) =>
        SmtpTestServer.StartAsync(new SmtpTestServerOptions { AuthMethods = ["PLAIN", "LOGIN", "XOAUTH2"] }, cancellationToken);

    private static TestMailer CreateMailer(SmtpTestServer server) =>
        TestMailer.For(server, o =>
        {
            o.Authentication = SmtpAuthenticationType.OAuth2;
            o.Username = User;
            o.OAuth2 = OAuth2Options();
        });

    /// <summary>The saved settings as a settings form posts them back.</summary>
    private static Action<SystemMailOptions> FormLikeSaved(SmtpTestServer server, Action<SystemMailOptions>? change = null) => o =>
    {
        o.From = $"SystemMail Tests <{TestMailer.Sender}>";
        o.Provider = "custom";
        o.Host = server.Host;
        o.Port = server.Port;
        o.Security = SmtpSecurity.StartTls;
        o.Timeout = TimeSpan.FromSeconds(10);
        o.CheckCertificateRevocation = false;
        o.Authentication = SmtpAuthenticationType.OAuth2;
        o.Username = User;
        o.OAuth2 = OAuth2Options();
        change?.Invoke(o);
    };

    private static SmtpOAuthOptions OAuth2Options() => new()
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
