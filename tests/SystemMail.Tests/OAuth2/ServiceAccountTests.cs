using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SystemMail.Tests.Infrastructure.OAuth2;

namespace SystemMail.Tests.OAuth2;

/// <summary>
/// Google Workspace without a person: a service account with domain-wide delegation impersonates the sending mailbox
/// (JWT bearer grant, checked by the tests' authorization server), and the SMTP server takes XOAUTH2 with that token.
/// </summary>
public sealed class ServiceAccountTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<SentMail> SendAsync(IServiceProvider instance, string to = "user@contoso.test") =>
        instance.GetRequiredService<ISystemMailer>().SendTestMailAsync(to, cancellationToken: Ct);

    private static async Task<(OAuth2Mail Mail, OAuth2TestServiceAccount Account)> StartAsync(IReadOnlyList<string>? delegatedScopes = null, string? keyTokenUri = null)
    {
        var account = OAuth2TestServiceAccount.Create(delegatedScopes: delegatedScopes);
        var options = new OAuth2TestServerOptions();
        options.ServiceAccounts.Add(account);
        var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Google, options, Ct);
        mail.Configuration["SystemMail:OAuth2:ClientId"] = null;
        mail.Configuration["SystemMail:OAuth2:ClientSecret"] = null;
        mail.Configuration["SystemMail:OAuth2:RedirectUri"] = null;
        mail.Configuration["SystemMail:OAuth2:Flow"] = "ServiceAccount";
        mail.Configuration["SystemMail:OAuth2:ServiceAccountKey"] = keyTokenUri is null ? account.KeyJson() : account.KeyJson(keyTokenUri);
        mail.Configuration.Reload();
        return (mail, account);
    }

    [Fact]
    public async Task SendAsync_ServiceAccount_XOAuth2AsTheImpersonatedMailboxAcceptedAndKeysTokenUriIgnored()
    {
        // Arrange: the key file names another token endpoint, which must receive nothing.
        await using var elsewhere = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        var (mail, account) = await StartAsync(keyTokenUri: elsewhere.TokenEndpoint.AbsoluteUri);
        await using var _ = mail;
        using var __ = account;
        var instance = mail.CreateInstance();

        // Act
        await SendAsync(instance, "first@contoso.test");
        await SendAsync(instance, "second@contoso.test");

        // Assert
        Assert.Equal(2, (await mail.Smtp.GetMessagesAsync(Ct)).Count);
        var stats = await mail.Smtp.GetStatsAsync(Ct);
        Assert.Contains(stats.AuthAttempts, a => a is { Method: "XOAUTH2", Success: true } && a.Username == mail.Mailbox);
        Assert.Equal(1, mail.Authorization.GetTokenRequestCount(OAuth2GrantTypes.JwtBearer));
        Assert.Equal(1, mail.Authorization.TokenRequests);
        var request = mail.Authorization.LastTokenRequest!;
        Assert.False(request.Parameters.ContainsKey("client_secret"));
        Assert.Equal(0, elsewhere.TotalRequests);
        var issued = Assert.Single(mail.Authorization.ValidAccessTokens);
        Assert.Equal(mail.Mailbox, issued.Username);
        Assert.Equal("https://mail.google.com/", issued.Scope);
    }

    [Fact]
    public async Task SendAsync_ScopeNotDelegated_AuthenticationWithServiceAccountHintAndNothingSent()
    {
        // Arrange: the administrator allowed the account gmail.send only.
        var (mail, account) = await StartAsync(delegatedScopes: ["https://www.googleapis.com/auth/gmail.send"]);
        await using var _ = mail;
        using var __ = account;
        var instance = mail.CreateInstance();

        // Act
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => SendAsync(instance));

        // Assert
        Assert.Equal(SystemMailErrorKind.Authentication, ex.Kind);
        Assert.Equal(nameof(Hints.ServiceAccountRefused), ex.HintId);
        Assert.Empty(await mail.Smtp.GetMessagesAsync(Ct));
        Assert.Empty((await mail.Smtp.GetStatsAsync(Ct)).AuthAttempts);
    }

    [Fact]
    public async Task SendAsync_MailboxOutsideTheDelegatedDomain_ServiceAccountHint()
    {
        // Arrange
        var (mail, account) = await StartAsync();
        await using var _ = mail;
        using var __ = account;
        mail.Change("Username", "mailer@fabrikam.test");
        var instance = mail.CreateInstance();

        // Act
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => SendAsync(instance));

        // Assert
        Assert.Equal(nameof(Hints.ServiceAccountRefused), ex.HintId);
        Assert.Contains("Invalid email or User ID", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServiceAccountKey_Everywhere_NeverInLogsJsonToStringOrErrors()
    {
        // Arrange
        var (mail, account) = await StartAsync(delegatedScopes: ["https://www.googleapis.com/auth/gmail.send"]);
        await using var _ = mail;
        using var __ = account;
        var instance = mail.CreateInstance();
        var options = instance.GetRequiredService<IOptionsMonitor<SystemMailOptions>>().CurrentValue;
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => SendAsync(instance));
        var report = await instance.GetRequiredService<ISystemMailDiagnostics>().TestConnectionAsync(cancellationToken: Ct);

        // Assert: neither the key file nor its private key appears anywhere.
        var privateKey = JsonDocument.Parse(account.KeyJson()).RootElement.GetProperty("private_key").GetString()!;
        var keyBody = privateKey.Split('\n')[1];
        var everything = string.Join(
            '\n',
            JsonSerializer.Serialize(options.OAuth2),
            options.ToString(),
            ex.ToString(),
            JsonSerializer.Serialize(report),
            string.Join('\n', mail.Logs.Collector.GetSnapshot().Select(r => r.Message + r.Exception)));
        Assert.DoesNotContain(keyBody, everything, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", everything, StringComparison.Ordinal);
        Assert.Contains("ServiceAccountKey = set", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendTestMailAsync_UnsavedOtherMailboxWithBlankKey_StoredKeyWithheldAndNoTokenRequest()
    {
        // Arrange
        var (mail, account) = await StartAsync();
        await using var _ = mail;
        using var __ = account;
        var diagnostics = mail.CreateInstance().GetRequiredService<ISystemMailDiagnostics>();

        // Act
        var same = await diagnostics.SendTestMailAsync("admin@contoso.test", o => o.From = "Contoso <mailer@contoso.test>", cancellationToken: Ct);
        var requestsAfterSame = mail.Authorization.TokenRequests;
        var other = await diagnostics.SendTestMailAsync("admin@contoso.test", o => o.Username = "other@contoso.test", cancellationToken: Ct);

        // Assert
        Assert.True(same.Succeeded, same.ToString());
        Assert.Equal(["OAuth2.ServiceAccountKey"], same.StoredSecretsUsed);
        Assert.Equal(SmtpDiagnosticStage.Settings, other.FailedStage);
        Assert.Equal(nameof(Hints.StoredSecretNotReused), other.HintId);
        Assert.Equal(requestsAfterSame, mail.Authorization.TokenRequests);
    }

    [Fact]
    public void TokenChanges_NewServiceAccountKey_NamesTheKeyWithoutItsValue()
    {
        // Arrange
        using var first = OAuth2TestServiceAccount.Create();
        using var second = OAuth2TestServiceAccount.Create();
        SystemMailOptions Options(string key) => new()
        {
            From = "mailer@contoso.test", Provider = "google", Authentication = SmtpAuthenticationType.OAuth2, Username = "mailer@contoso.test",
            OAuth2 = new SmtpOAuthOptions { Flow = OAuthFlow.ServiceAccount, ServiceAccountKey = key },
        };

        // Act
        var changes = OAuthSettings.TokenChanges(Options(first.KeyJson()), Options(second.KeyJson()), new SmtpProviderCatalog([]));

        // Assert
        Assert.Equal(["service account key"], changes);
    }

    [Theory]
    [InlineData("office365", "OAuth2.Flow")]
    [InlineData("google", "OAuth2.ClientSecret")]
    public void Validate_ServiceAccountMisused_NamesTheSetting(string provider, string setting)
    {
        // Arrange
        using var account = OAuth2TestServiceAccount.Create();
        var options = new SystemMailOptions
        {
            From = "mailer@contoso.test", Provider = provider, Authentication = SmtpAuthenticationType.OAuth2, Username = "mailer@contoso.test",
            OAuth2 = new SmtpOAuthOptions { Flow = OAuthFlow.ServiceAccount, ServiceAccountKey = account.KeyJson(), TenantId = "contoso", ClientSecret = "s3cret" },
        };

        // Act
        var result = new SystemMailOptionsValidator(new SmtpProviderCatalog([])).Validate(null, options);

        // Assert
        Assert.Contains(result.Failures!, f => f.Contains(setting, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"type\": \"authorized_user\"}")]
    [InlineData("{\"type\": \"service_account\", \"client_email\": \"a@b.test\", \"private_key\": \"-----BEGIN PRIVATE KEY-----\\nAAAA\\n-----END PRIVATE KEY-----\\n\"}")]
    public void Validate_UnreadableServiceAccountKey_NamesTheKeyWithoutRepeatingIt(string key)
    {
        // Arrange
        var options = new SystemMailOptions
        {
            From = "mailer@contoso.test", Provider = "google", Authentication = SmtpAuthenticationType.OAuth2, Username = "mailer@contoso.test",
            OAuth2 = new SmtpOAuthOptions { Flow = OAuthFlow.ServiceAccount, ServiceAccountKey = key },
        };

        // Act
        var result = new SystemMailOptionsValidator(new SmtpProviderCatalog([])).Validate(null, options);

        // Assert
        var failure = Assert.Single(result.Failures!);
        Assert.Contains("OAuth2.ServiceAccountKey", failure, StringComparison.Ordinal);
        Assert.DoesNotContain(key, failure, StringComparison.Ordinal);
        Assert.DoesNotContain("AAAA", failure, StringComparison.Ordinal);
    }
}
