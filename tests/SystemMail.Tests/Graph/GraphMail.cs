using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using MimeKit;
using SystemMail.Tests.Infrastructure.Graph;
using SystemMail.Tests.Infrastructure.OAuth2;

namespace SystemMail.Tests.Graph;

/// <summary>
/// Real parts wired together for the Microsoft Graph transport: the tests' HTTPS authorization server on loopback, a
/// Graph-compatible <c>sendMail</c> endpoint that accepts only the tokens it issued, and a SystemMail host configured
/// as an administrator would (provider <c>office365-graph</c>, settings from configuration so a saved change reloads).
/// </summary>
/// <remarks>
/// The template is the built-in one with its token endpoints moved to the test server (a host may replace a built-in
/// template); the Graph base URL is the operator's setting. Every MIME message handed to Graph is also kept
/// (<see cref="Built"/>), to compare with what the endpoint received.
/// </remarks>
internal sealed class GraphMail : IAsyncDisposable
{
    public static readonly Uri RedirectUri = new("https://admin.systemmail.test/settings/mail/oauth2/callback");
    private readonly List<ServiceProvider> _instances = [];
    private readonly List<GraphTestServer> _extraServers = [];

    private GraphMail(OAuth2TestServer authorization, GraphTestServer graph, TimeProvider time, OAuthFlow flow)
    {
        Authorization = authorization;
        Graph = graph;
        Time = time;
        Configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings(flow)).Build();
    }

    public OAuth2TestServer Authorization { get; }

    public GraphTestServer Graph { get; }

    public TimeProvider Time { get; }

    public IConfigurationRoot Configuration { get; }

    public IOAuthTokenStore Store { get; } = new InMemoryOAuthTokenStore();

    public FakeLoggerProvider Logs { get; } = new();

    /// <summary>The MIME of every message SystemMail handed to the Graph transport, as <see cref="GraphMime.Write"/> writes it.</summary>
    public List<byte[]> Built { get; } = [];

    public string Mailbox => Authorization.User.Username;

    public static async Task<GraphMail> StartAsync(OAuthFlow flow = OAuthFlow.ClientCredentials, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        time ??= TimeProvider.System;
        var authorization = await OAuth2TestServer.StartAsync(new OAuth2TestServerOptions { RequirePkce = true }, cancellationToken);
        var graph = await GraphTestServer.StartAsync(authorization, time, cancellationToken);
        return new GraphMail(authorization, graph, time, flow);
    }

    /// <summary>Another Graph endpoint trusted by the host, for tests where the base URL changes.</summary>
    public async Task<GraphTestServer> StartSecondGraphAsync(CancellationToken cancellationToken)
    {
        var second = await GraphTestServer.StartAsync(Authorization, Time, cancellationToken);
        _extraServers.Add(second);
        return second;
    }

    /// <summary>Starts one SystemMail host over the shared store.</summary>
    public ServiceProvider CreateInstance(Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(builder => builder.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton(Time);
        services.AddSingleton(Store);
        services.AddSingleton(sp => new MailTransports(sp.GetRequiredService<SmtpConnectionPool>(), new RecordingTransport(sp.GetRequiredService<GraphMailTransport>(), Built)));
        var builder = services.AddSystemMail(Configuration);
        services.AddHttpClient("SystemMail.OAuth2").ConfigurePrimaryHttpMessageHandler(Authorization.CreateHttpMessageHandler);
        services.AddHttpClient("SystemMail.Graph").ConfigurePrimaryHttpMessageHandler(() => TrustingEveryGraphServer(() => [Graph, .. _extraServers]));
        var office365Graph = SmtpProviderTemplates.Office365Graph;
        builder.AddProviderTemplate(new SmtpProviderTemplate
        {
            Id = office365Graph.Id,
            DisplayName = office365Graph.DisplayName,
            Host = office365Graph.Host,
            Port = office365Graph.Port,
            Security = office365Graph.Security,
            SupportedAuthentication = office365Graph.SupportedAuthentication,
            Transport = MailTransport.MicrosoftGraph,
            SendingLimit = office365Graph.SendingLimit,
            OAuth2 = new SmtpOAuthMetadata
            {
                AuthorizationEndpoint = $"{Authorization.BaseUri}{{tenant}}/oauth2/v2.0/authorize",
                TokenEndpoint = $"{Authorization.BaseUri}{{tenant}}/oauth2/v2.0/token",
                Scopes = office365Graph.OAuth2!.Scopes,
                ClientCredentialsScopes = office365Graph.OAuth2.ClientCredentialsScopes,
                ClientType = OAuthClientType.Microsoft,
            },
        });
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _instances.Add(provider);
        return provider;
    }

    /// <summary>"Generate access token", as the settings page does it.</summary>
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

        foreach (var server in _extraServers)
        {
            await server.DisposeAsync();
        }

        await Graph.DisposeAsync();
        await Authorization.DisposeAsync();
        Logs.Dispose();
    }

    private Dictionary<string, string?> Settings(OAuthFlow flow) => new()
    {
        ["SystemMail:From"] = $"Contoso IoT <{Authorization.User.Username}>",
        ["SystemMail:Provider"] = SmtpProviderTemplates.Office365GraphId,
        ["SystemMail:GraphBaseUrl"] = Graph.BaseUri.AbsoluteUri,
        ["SystemMail:Authentication"] = "OAuth2",
        ["SystemMail:Username"] = Authorization.User.Username,
        ["SystemMail:Timeout"] = "00:00:10",
        ["SystemMail:Retry:MaxRetryAttempts"] = "0",
        ["SystemMail:Product:Name"] = "Contoso Portal",
        ["SystemMail:OAuth2:Flow"] = flow.ToString(),
        ["SystemMail:OAuth2:ClientId"] = Authorization.Client.ClientId,
        ["SystemMail:OAuth2:ClientSecret"] = Authorization.Client.ClientSecret,
        ["SystemMail:OAuth2:TenantId"] = Authorization.TenantId,
        ["SystemMail:OAuth2:RedirectUri"] = RedirectUri.AbsoluteUri,
    };

    /// <summary>The real Graph transport, keeping a copy of each message's MIME before it goes.</summary>
    private sealed class RecordingTransport(IMailTransport inner, List<byte[]> built) : IMailTransport
    {
        public Task<string> SendAsync(MailGeneration generation, MimeMessage message, CancellationToken cancellationToken)
        {
            lock (built)
            {
                built.Add(GraphMime.Write(message, cancellationToken));
            }

            return inner.SendAsync(generation, message, cancellationToken);
        }
    }

    /// <summary>A handler that trusts the certificates of the fixture's Graph servers, those started later included, and nothing else.</summary>
    private static SocketsHttpHandler TrustingEveryGraphServer(Func<IEnumerable<GraphTestServer>> servers) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        SslOptions = new System.Net.Security.SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
                servers().Any(s => PinnedCertificate.CreateValidator(s.Certificate)(sender, certificate, chain, errors)),
        },
    };
}
