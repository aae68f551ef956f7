using System.Globalization;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.AspNetCore.Tests.Identity;

/// <summary>Identity's <see cref="IEmailSender{TUser}"/> through SystemMail, against the real SMTP test server.</summary>
public sealed class IdentityEmailSenderTests : IAsyncLifetime
{
    private const string User = "mailer@acme.test";
    private const string Password = "Pw-identity-3c9e";

    private SmtpTestServer _smtp = null!;
    private ServiceProvider _services = null!;

    public async ValueTask InitializeAsync()
    {
        _smtp = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Users = new Dictionary<string, string> { [User] = Password } });
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        // What AddIdentityApiEndpoints does: Identity's default (no-op) sender, registered first.
        services.AddIdentityCore<IdentityUser>().AddDefaultTokenProviders().AddApiEndpoints();
        services.Configure<DataProtectionTokenProviderOptions>(o => o.TokenLifespan = TimeSpan.FromHours(2));
        services.AddSystemMail(o =>
        {
            o.From = "Acme IoT <no-reply@acme.test>";
            o.Host = _smtp.Host;
            o.Port = _smtp.Port;
            o.Authentication = SmtpAuthenticationType.Basic;
            o.Username = User;
            o.Password = Password;
            o.ServerCertificateValidationCallback = _smtp.TestCertificate.Pin();
            o.Product.Name = "Acme IoT";
        }).AddIdentityEmailSender<IdentityUser>();
        _services = services.BuildServiceProvider();
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    [Fact]
    public void AddIdentityEmailSender_AfterIdentity_ReplacesItsDefaultSender() =>
        Assert.Equal("SystemMailEmailSender`1", _services.GetRequiredService<IEmailSender<IdentityUser>>().GetType().Name);

    [Fact]
    public async Task SendConfirmationLinkAsync_HtmlEncodedLink_SendsTheActivationMailWithTheLinkDecoded()
    {
        var link = "https://iot.acme.test/confirmEmail?userId=42&code=Q2ZESjh-_x&changedEmail=a%2Bb%40acme.test";

        await Sender.SendConfirmationLinkAsync(new IdentityUser(), "new.user@acme.test", HtmlEncoder.Default.Encode(link));

        var mail = Assert.Single(await _smtp.GetMessagesAsync(TestContext.Current.CancellationToken)).Message;
        Assert.Equal("new.user@acme.test", mail.To.Mailboxes.Single().Address);
        Assert.Contains("Activate", mail.Subject, StringComparison.Ordinal);
        Assert.Contains(link, mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("2 hours", mail.TextBody, StringComparison.Ordinal); // Identity's token lifespan
    }

    [Fact]
    public async Task SendPasswordResetLinkAsync_InChinese_SendsTheLocalizedResetMail()
    {
        var culture = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");
        try
        {
            await Sender.SendPasswordResetLinkAsync(new IdentityUser(), "user@acme.test", HtmlEncoder.Default.Encode("https://iot.acme.test/reset?code=a&email=user%40acme.test"));
        }
        finally
        {
            CultureInfo.CurrentUICulture = culture;
        }

        var mail = Assert.Single(await _smtp.GetMessagesAsync(TestContext.Current.CancellationToken)).Message;
        Assert.Contains("密码", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("https://iot.acme.test/reset?code=a&email=user%40acme.test", mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendPasswordResetCodeAsync_IdentityLengthCode_SendsTheResetCodeMail()
    {
        // MapIdentityApi's /forgotPassword sends the whole Base64Url-encoded Data Protection token as the code.
        var code = string.Concat(Enumerable.Repeat("Q2ZESjhBQUFBQUFB-_", 20));

        await Sender.SendPasswordResetCodeAsync(new IdentityUser(), "user@acme.test", code);

        var mail = Assert.Single(await _smtp.GetMessagesAsync(TestContext.Current.CancellationToken)).Message;
        Assert.Contains("reset code", mail.Subject, StringComparison.Ordinal);
        Assert.Contains(code, mail.TextBody, StringComparison.Ordinal);
        Assert.Contains(code, mail.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendPasswordResetCodeAsync_TotpProvider_StatesTheTotpLifetime()
    {
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(_services.GetRequiredService<ISystemMailer>())
            .Configure<IdentityOptions>(o => o.Tokens.PasswordResetTokenProvider = TokenOptions.DefaultEmailProvider)
            .BuildServiceProvider();
        var identity = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<IdentityOptions>>();
        identity.Value.Tokens.ProviderMap[TokenOptions.DefaultEmailProvider] = new TokenProviderDescriptor(typeof(EmailTokenProvider<IdentityUser>));
        var sender = new SystemMailEmailSender<IdentityUser>(
            services.GetRequiredService<ISystemMailer>(),
            identity,
            Microsoft.Extensions.Options.Options.Create(new DataProtectionTokenProviderOptions()));

        await sender.SendPasswordResetCodeAsync(new IdentityUser(), "user@acme.test", "123456");

        var mail = Assert.Single(await _smtp.GetMessagesAsync(TestContext.Current.CancellationToken)).Message;
        Assert.Contains("3 minutes", mail.TextBody, StringComparison.Ordinal);
    }

    private IEmailSender<IdentityUser> Sender => _services.GetRequiredService<IEmailSender<IdentityUser>>();
}
