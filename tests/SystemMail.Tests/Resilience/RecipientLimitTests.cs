using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.Resilience;

/// <summary>
/// At most RecipientLimit.PermitLimit mails that anyone can request per recipient and window, counted across instances
/// through a real redis-server, the recipient named by a keyed hash only.
/// </summary>
public sealed class RecipientLimitTests : IClassFixture<OpenRelaySmtpServerFixture>, IAsyncLifetime
{
    private const string Victim = "victim@acme.test";
    private static readonly Uri Link = new("https://portal.acme.test/reset?t=1");
    private readonly OpenRelaySmtpServerFixture _fixture;

    public RecipientLimitTests(OpenRelaySmtpServerFixture fixture)
    {
        _fixture = fixture;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SmtpTestServer Server => _fixture.Server;

    public ValueTask InitializeAsync() => new(Server.ResetAsync(Ct));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private TestMailer Mailer(int permitLimit, Action<IServiceCollection>? addServices = null) =>
        TestMailer.For(
            Server,
            o =>
            {
                o.Authentication = SmtpAuthenticationType.None;
                o.RecipientLimit.Enabled = true;
                o.RecipientLimit.PermitLimit = permitLimit;
                o.RecipientLimit.Window = TimeSpan.FromHours(1);
            },
            addServices);

    [Fact]
    public async Task SendPasswordResetAsync_TwoInstancesSharingRedis_ServerReceivesExactlyTheLimit()
    {
        // Arrange: two instances of a host, one Redis.
        await using var redis = await RedisTestServer.StartAsync(Ct);
        void AddRedis(IServiceCollection services) => services.AddStackExchangeRedisCache(o => o.Configuration = redis.Configuration);
        await using var a = Mailer(permitLimit: 3, services => { AddRedis(services); services.AddMetrics(); });
        await using var b = Mailer(permitLimit: 3, AddRedis);
        using var limited = new MetricCollector<long>(a.Services.GetRequiredService<IMeterFactory>(), "SystemMail", "systemmail.mails.limited");

        // Act: a stranger asks both instances, in turn, for six reset mails to one address.
        var outcomes = new List<SystemMailException?>();
        for (var i = 0; i < 6; i++)
        {
            var instance = i % 2 == 0 ? a : b;
            outcomes.Add(await Record(() => instance.Mailer.SendPasswordResetAsync(Victim, Link, TimeSpan.FromHours(1), cancellationToken: Ct)));
        }

        // Assert: the first three went out, whichever instance sent them; the rest were refused, with when to try again.
        Assert.All(outcomes.Take(3), Assert.Null);
        Assert.All(outcomes.Skip(3), ex =>
        {
            Assert.Equal(SystemMailErrorKind.RecipientLimited, ex!.Kind);
            Assert.Equal(nameof(Hints.RecipientLimited), ex.HintId);
            Assert.InRange(ex.RetryAfter!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
            Assert.DoesNotContain(Victim, ex.Message, StringComparison.OrdinalIgnoreCase);
        });
        Assert.Equal(3, (await Server.GetMessagesAsync(Ct)).Count(m => m.RcptTo.Contains(Victim)));

        // Another recipient is counted apart; the other kinds are not counted at all.
        await b.Mailer.SendPasswordResetAsync("other@acme.test", Link, TimeSpan.FromHours(1), cancellationToken: Ct);
        await a.Mailer.SendPasswordWasResetAsync(Victim, Link, cancellationToken: Ct);
        await a.Mailer.SendTestMailAsync(Victim, cancellationToken: Ct);
        Assert.Equal(6, (await Server.GetMessagesAsync(Ct)).Count);

        // The refusals were counted and logged, by instance, without the address.
        Assert.Equal(1, limited.GetMeasurementSnapshot().Sum(m => m.Value)); // of the three refusals, the fifth request was a's
        var lines = a.Logs.Collector.GetSnapshot().Concat(b.Logs.Collector.GetSnapshot()).Where(r => r.Id.Name == "RecipientLimited").ToList();
        Assert.Equal(3, lines.Count);
        Assert.All(lines, line => Assert.DoesNotContain("victim", line.Message, StringComparison.OrdinalIgnoreCase));
        Assert.Contains("PasswordReset", lines[0].Message, StringComparison.Ordinal);

        // Redis holds no address, in any case.
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var keys = connection.GetServer(connection.GetEndPoints().Single()).Keys().Select(k => (string)k!).ToList();
        Assert.Contains(keys, k => k.StartsWith("systemmail:recipient-limit:", StringComparison.Ordinal));
        foreach (var key in keys)
        {
            Assert.DoesNotContain("victim", key, StringComparison.OrdinalIgnoreCase);
            var value = await connection.GetDatabase().HashGetAllAsync(key);
            Assert.All(value, entry => Assert.DoesNotContain("victim", Encoding.UTF8.GetString((byte[])entry.Value!), StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public async Task SendPasswordResetAsync_CacheUnreachable_MailSentAndTheGapLogged()
    {
        // Arrange: the Redis the host registered is gone.
        var redis = await RedisTestServer.StartAsync(Ct);
        var configuration = redis.Configuration + ",connectTimeout=300,syncTimeout=300,asyncTimeout=300";
        await redis.DisposeAsync();
        await using var mail = Mailer(permitLimit: 1, services => services.AddStackExchangeRedisCache(o => o.Configuration = configuration));

        // Act
        await mail.Mailer.SendPasswordResetAsync(Victim, Link, TimeSpan.FromHours(1), cancellationToken: Ct);
        await mail.Mailer.SendPasswordResetAsync(Victim, Link, TimeSpan.FromHours(1), cancellationToken: Ct);

        // Assert: mail is what the host is for; the limit's outage is a warning, not an outage of password resets.
        Assert.Equal(2, (await Server.GetMessagesAsync(Ct)).Count);
        Assert.Equal(2, mail.Logs.Collector.GetSnapshot().Count(r => r.Id.Name == "RecipientLimitUnavailable"));
    }

    [Fact]
    public async Task SendVerificationCodeAsync_WindowSlides_OneMoreMailOnceTheOldestLeavesIt()
    {
        // Arrange: no IDistributedCache registered, so the count is in memory; the host's clock.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var mail = Mailer(permitLimit: 2, services => services.AddSingleton<TimeProvider>(clock));
        Task<SentMail> Send() => mail.Mailer.SendVerificationCodeAsync("USER@acme.test", "123456", TimeSpan.FromMinutes(3), cancellationToken: Ct);

        await Send();
        clock.Advance(TimeSpan.FromMinutes(30));
        await Send();

        // Act
        var refused = await Assert.ThrowsAsync<SystemMailException>(Send);
        var differentCase = await Record(() => mail.Mailer.SendPasswordResetCodeAsync("user@ACME.test", "654321", TimeSpan.FromMinutes(3), cancellationToken: Ct));
        clock.Advance(TimeSpan.FromMinutes(30) + TimeSpan.FromMilliseconds(1));
        await Send();

        // Assert: refused until the first mail was an hour old; the case of the address changes nothing.
        Assert.Equal(SystemMailErrorKind.RecipientLimited, refused.Kind);
        Assert.Equal(TimeSpan.FromMinutes(30), refused.RetryAfter);
        Assert.Equal(SystemMailErrorKind.RecipientLimited, differentCase?.Kind);
        Assert.Equal(3, (await Server.GetMessagesAsync(Ct)).Count);
    }

    [Fact]
    public async Task SendActivationAsync_LimitDisabled_EveryMailSent()
    {
        await using var mail = TestMailer.For(Server, o =>
        {
            o.Authentication = SmtpAuthenticationType.None;
            o.RecipientLimit.Enabled = false;
            o.RecipientLimit.PermitLimit = 1;
        });

        for (var i = 0; i < 3; i++)
        {
            await mail.Mailer.SendActivationAsync(Victim, Link, TimeSpan.FromHours(1), cancellationToken: Ct);
        }

        Assert.Equal(3, (await Server.GetMessagesAsync(Ct)).Count);
    }

    [Theory]
    [InlineData("0", "01:00:00", "RecipientLimit.PermitLimit")]
    [InlineData("5", "00:00:00", "RecipientLimit.Window")]
    public void Options_LimitOutOfRange_NamedAtValidation(string permitLimit, string window, string field)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SystemMail:From"] = "no-reply@acme.test",
            ["SystemMail:Host"] = "smtp.acme.test",
            ["SystemMail:RecipientLimit:PermitLimit"] = permitLimit,
            ["SystemMail:RecipientLimit:Window"] = window,
        }).Build();
        var services = new ServiceCollection();
        services.AddSystemMail(configuration);
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SystemMailOptions>>().Value);

        Assert.Contains(ex.Failures, f => f.Contains(field, StringComparison.Ordinal));
    }

    private static async Task<SystemMailException?> Record(Func<Task> send)
    {
        try
        {
            await send();
            return null;
        }
        catch (SystemMailException ex)
        {
            return ex;
        }
    }
}
