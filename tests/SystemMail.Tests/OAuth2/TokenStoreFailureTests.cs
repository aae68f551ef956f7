using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace SystemMail.Tests.OAuth2;

/// <summary>The host's token store failing (its database or cache down) while a mail needs a token.</summary>
public sealed class TokenStoreFailureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SendAsync_TokenStoreThrows_TransientSystemMailExceptionNamingTheStoreThenSendsOnceItRecovers()
    {
        // Arrange: client credentials, so the first mail reads the store before it asks the token endpoint.
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Custom, cancellationToken: Ct);
        mail.Change("OAuth2:Flow", "ClientCredentials");
        mail.Change("OAuth2:RedirectUri", null);
        mail.Change("OAuth2:AuthorizationEndpoint", null);
        mail.Change("Retry:MaxRetryAttempts", "0");
        var store = new FlakyTokenStore();
        var instance = CreateInstance(mail, store);
        var mailer = instance.GetRequiredService<ISystemMailer>();

        // Act
        store.Failing = true;
        var ex = await Assert.ThrowsAsync<SystemMailException>(() => mailer.SendTestMailAsync("user@contoso.test", cancellationToken: Ct));
        store.Failing = false;
        await mailer.SendTestMailAsync("user@contoso.test", cancellationToken: Ct);

        // Assert
        Assert.Equal(SystemMailErrorKind.Transient, ex.Kind);
        Assert.True(ex.IsTransient);
        Assert.Equal(Hints.TokenStoreUnavailable(nameof(FlakyTokenStore)).ToString(), ex.GetHint(CultureInfo.InvariantCulture));
        Assert.Contains(nameof(FlakyTokenStore), ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(FlakyTokenStore.ConnectionString, ex.Message, StringComparison.Ordinal);
        Assert.IsType<TimeoutException>(ex.InnerException);
        Assert.Contains(mail.Logs.Collector.GetSnapshot(), r => r.Id.Name == "MailFailed" && r.Exception == ex);
        Assert.Equal(1, mail.Authorization.GetTokenRequestCount("client_credentials"));
        Assert.Single(await mail.Smtp.GetMessagesAsync(Ct));
    }

    [Fact]
    public async Task SendAsync_TokenStoreDownAtTheStoreCheck_SendsWithTheValidTokenInMemoryAndChecksAgainOnlyAfterTheInterval()
    {
        // Arrange: tokens generated, one mail sent; then the store goes down and the check interval passes.
        await using var mail = await OAuth2Mail.StartAsync(OAuth2Flavor.Custom, cancellationToken: Ct);
        var store = new FlakyTokenStore();
        var instance = CreateInstance(mail, store);
        var mailer = instance.GetRequiredService<ISystemMailer>();
        await mail.GenerateAccessTokenAsync(instance, Ct);
        await mailer.SendTestMailAsync("user@contoso.test", cancellationToken: Ct);
        store.Failing = true;
        mail.Time.Advance(new SmtpOAuthOptions().StoreCheckInterval + TimeSpan.FromSeconds(1));

        // Act: two mails while the store is down.
        await mailer.SendTestMailAsync("user@contoso.test", cancellationToken: Ct);
        var readsAfterFirst = store.FailedReads;
        await mailer.SendTestMailAsync("user@contoso.test", cancellationToken: Ct);

        // Assert: both went out with the token in memory; the store was tried once, not before every mail.
        Assert.Equal(3, (await mail.Smtp.GetMessagesAsync(Ct)).Count);
        Assert.Equal(1, readsAfterFirst);
        Assert.Equal(1, store.FailedReads);
        Assert.Single(mail.Logs.Collector.GetSnapshot(), r => r.Id.Name == "TokenCheckFailed");
        Assert.DoesNotContain(mail.Logs.Collector.GetSnapshot(), r => r.Message.Contains(FlakyTokenStore.ConnectionString, StringComparison.Ordinal));
    }

    /// <summary>An instance of <paramref name="mail"/>'s host whose token store is <paramref name="store"/>.</summary>
    private static ServiceProvider CreateInstance(OAuth2Mail mail, FlakyTokenStore store) => mail.CreateInstance(
        services =>
        {
            services.AddSingleton<IOAuthTokenStore>(store);
            services.AddDataProtection().UseEphemeralDataProtectionProvider();
        },
        sharedStore: false);

    private sealed class FlakyTokenStore : IOAuthTokenStore
    {
        public const string ConnectionString = "redis:6379,password=Pw-token-store";
        private readonly InMemoryOAuthTokenStore _inner = new();
        private int _failedReads;

        public bool Failing { get; set; }

        public int FailedReads => Volatile.Read(ref _failedReads);

        public ValueTask<OAuthTokenStoreEntry?> GetAsync(string key, CancellationToken cancellationToken = default)
        {
            if (!Failing)
            {
                return _inner.GetAsync(key, cancellationToken);
            }

            Interlocked.Increment(ref _failedReads);
            throw new TimeoutException($"Timeout talking to {ConnectionString}.");
        }

        public ValueTask<string?> TrySaveAsync(string key, ReadOnlyMemory<byte> value, string? expectedVersion, CancellationToken cancellationToken = default) =>
            Failing ? throw new TimeoutException($"Timeout talking to {ConnectionString}.") : _inner.TrySaveAsync(key, value, expectedVersion, cancellationToken);

        public ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default) =>
            Failing ? throw new TimeoutException($"Timeout talking to {ConnectionString}.") : _inner.RemoveAsync(key, cancellationToken);
    }
}
