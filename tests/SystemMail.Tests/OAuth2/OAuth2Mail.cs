using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using SystemMail.Tests.Infrastructure;
using SystemMail.Tests.Infrastructure.OAuth2;

namespace SystemMail.Tests.OAuth2;

/// <summary>Which provider template the OAuth2 tests go through.</summary>
public enum OAuth2Flavor
{
    Google,
    Office365,
    Custom,
}

/// <summary>
/// Real parts wired together for OAuth2: an HTTPS authorization server on loopback, an SMTP server that accepts
/// XOAUTH2 only with tokens that server issued (it asks the server, RFC 7662), and SystemMail hosts configured the
/// way an administrator would (settings from configuration, so a saved change reloads), on a clock the test moves.
/// </summary>
internal sealed class OAuth2Mail : IAsyncDisposable
{
    public static readonly Uri RedirectUri = new("https://admin.systemmail.test/settings/mail/oauth2/callback");
    private readonly List<ServiceProvider> _instances = [];

    private OAuth2Mail(OAuth2Flavor flavor, OAuth2TestServer authorization, SmtpTestServer smtp)
    {
        Flavor = flavor;
        Authorization = authorization;
        Smtp = smtp;
        Configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings()).Build();
    }

    public OAuth2Flavor Flavor { get; }

    public OAuth2TestServer Authorization { get; }

    public SmtpTestServer Smtp { get; }

    /// <summary>The clock every SystemMail instance of this fixture reads.</summary>
    public OAuth2TestClock Time { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>The settings, as a host's configuration: change a key, then <see cref="ConfigurationRoot.Reload"/>.</summary>
    public IConfigurationRoot Configuration { get; }

    /// <summary>One token store shared by every instance, as a database would be.</summary>
    public IOAuthTokenStore Store { get; } = new InMemoryOAuthTokenStore();

    public FakeLoggerProvider Logs { get; } = new();

    public string Mailbox => Authorization.User.Username;

    public static async Task<OAuth2Mail> StartAsync(OAuth2Flavor flavor, OAuth2TestServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new OAuth2TestServerOptions();
        options.RequirePkce = true;
        var authorization = await OAuth2TestServer.StartAsync(options, cancellationToken);
        var smtp = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { AuthMethods = ["XOAUTH2"], XOAuth2Issuer = authorization }, cancellationToken);
        return new OAuth2Mail(flavor, authorization, smtp);
    }

    /// <summary>Starts one SystemMail host over the shared store (a second call is a second instance, or a restart).</summary>
    /// <param name="configure">Registers more services.</param>
    /// <param name="sharedStore">Whether the instance uses <see cref="Store"/>.</param>
    /// <param name="pinCertificate">Whether the token endpoint's client trusts the authorization server's certificate by pinning it; without, only what the host configures.</param>
    /// <param name="systemMail">Configures SystemMail through its builder.</param>
    public ServiceProvider CreateInstance(Action<IServiceCollection>? configure = null, bool sharedStore = true, bool pinCertificate = true, Action<ISystemMailBuilder>? systemMail = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(builder => builder.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton<TimeProvider>(Time);
        if (sharedStore)
        {
            services.AddSingleton(Store);
        }

        var builder = services.AddSystemMail(Configuration);
        services.PostConfigure<SystemMailOptions>(o =>
        {
            o.ServerCertificateValidationCallback = Smtp.TestCertificate.Pin();
            o.CheckCertificateRevocation = false;
        });
        if (pinCertificate)
        {
            services.AddHttpClient("SystemMail.OAuth2").ConfigurePrimaryHttpMessageHandler(Authorization.CreateHttpMessageHandler);
        }

        systemMail?.Invoke(builder);
        switch (Flavor)
        {
            case OAuth2Flavor.Google:
                builder.AddProviderTemplate(new SmtpProviderTemplate
                {
                    Id = "google",
                    DisplayName = "Google",
                    Host = Smtp.Host,
                    Port = Smtp.Port,
                    Security = SmtpSecurity.StartTls,
                    SupportedAuthentication = [SmtpAuthenticationType.Basic, SmtpAuthenticationType.OAuth2],
                    OAuth2 = new SmtpOAuthMetadata
                    {
                        AuthorizationEndpoint = Authorization.AuthorizationEndpoint.AbsoluteUri,
                        TokenEndpoint = Authorization.TokenEndpoint.AbsoluteUri,
                        Scopes = SmtpProviderTemplates.Google.OAuth2!.Scopes,
                        AuthorizationParameters = SmtpProviderTemplates.Google.OAuth2.AuthorizationParameters,
                        ClientType = OAuthClientType.Google,
                    },
                });
                break;
            case OAuth2Flavor.Office365:
                builder.AddProviderTemplate(new SmtpProviderTemplate
                {
                    Id = "office365",
                    DisplayName = "Office 365",
                    Host = Smtp.Host,
                    Port = Smtp.Port,
                    Security = SmtpSecurity.StartTls,
                    SupportedAuthentication = [SmtpAuthenticationType.Basic, SmtpAuthenticationType.OAuth2],
                    OAuth2 = new SmtpOAuthMetadata
                    {
                        AuthorizationEndpoint = $"{Authorization.BaseUri}{{tenant}}/oauth2/v2.0/authorize",
                        TokenEndpoint = $"{Authorization.BaseUri}{{tenant}}/oauth2/v2.0/token",
                        Scopes = SmtpProviderTemplates.Office365.OAuth2!.Scopes,
                        ClientCredentialsScopes = SmtpProviderTemplates.Office365.OAuth2.ClientCredentialsScopes,
                        ClientType = OAuthClientType.Microsoft,
                    },
                });
                break;
        }

        configure?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _instances.Add(provider);
        return provider;
    }

    /// <summary>"Generate access token" on <paramref name="instance"/>, as the settings page does it.</summary>
    public Task<OAuthTokenStatus> GenerateAccessTokenAsync(IServiceProvider instance, CancellationToken cancellationToken) =>
        instance.GetRequiredService<IOAuthTokenService>().GenerateAccessTokenAsync(Authorization, cancellationToken);

    /// <summary>Changes one setting and reloads, as a settings page's Save does.</summary>
    public void Change(string key, string? value)
    {
        Configuration[$"SystemMail:{key}"] = value;
        Configuration.Reload();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        await Smtp.DisposeAsync();
        await Authorization.DisposeAsync();
        Logs.Dispose();
    }

    private Dictionary<string, string?> Settings()
    {
        var settings = new Dictionary<string, string?>
        {
            ["SystemMail:From"] = $"Contoso IoT <{Authorization.User.Username}>",
            ["SystemMail:Authentication"] = "OAuth2",
            ["SystemMail:Username"] = Authorization.User.Username,
            ["SystemMail:Timeout"] = "00:00:10",
            ["SystemMail:PoolSize"] = "2",
            // Each test sees one attempt's outcome (retry delays would wait on the test's clock).
            ["SystemMail:Retry:MaxRetryAttempts"] = "0",
            ["SystemMail:RecipientLimit:Enabled"] = "false", // tested on its own
            ["SystemMail:OAuth2:ClientId"] = Authorization.Client.ClientId,
            ["SystemMail:OAuth2:ClientSecret"] = Authorization.Client.ClientSecret,
            ["SystemMail:OAuth2:RedirectUri"] = RedirectUri.AbsoluteUri,
        };
        switch (Flavor)
        {
            case OAuth2Flavor.Google:
                settings["SystemMail:Provider"] = "google";
                break;
            case OAuth2Flavor.Office365:
                settings["SystemMail:Provider"] = "office365";
                settings["SystemMail:OAuth2:TenantId"] = Authorization.TenantId;
                break;
            default:
                settings["SystemMail:Provider"] = "custom";
                settings["SystemMail:Host"] = Smtp.Host;
                settings["SystemMail:Port"] = Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
                settings["SystemMail:Security"] = "StartTls";
                settings["SystemMail:OAuth2:AuthorizationEndpoint"] = Authorization.AuthorizationEndpoint.AbsoluteUri;
                settings["SystemMail:OAuth2:TokenEndpoint"] = Authorization.TokenEndpoint.AbsoluteUri;
                settings["SystemMail:OAuth2:Scopes:0"] = "smtp.send";
                break;
        }

        return settings;
    }
}
