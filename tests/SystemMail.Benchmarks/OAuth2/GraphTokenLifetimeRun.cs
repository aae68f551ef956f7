using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using SystemMail.Benchmarks.Mail;
using SystemMail.Tests.Infrastructure.Graph;
using SystemMail.Tests.Infrastructure.OAuth2;

namespace SystemMail.Benchmarks.OAuth2;

/// <summary>
/// Sends many mails through Microsoft Graph (provider <c>office365-graph</c>, client credentials) inside one
/// access-token lifetime and counts the requests that reached the token endpoint. Real parts: the tests' HTTPS
/// authorization server and their Graph <c>sendMail</c> endpoint, which checks every bearer token with it.
/// </summary>
internal static class GraphTokenLifetimeRun
{
    public static async Task<GraphTokenLifetimeResult> RunAsync(int mails, int poolSize, int callers, TextWriter log, CancellationToken cancellationToken)
    {
        var lifetime = TimeSpan.FromHours(1);
        await using var authorization = await OAuth2TestServer.StartAsync(new OAuth2TestServerOptions { AccessTokenLifetime = lifetime }, cancellationToken).ConfigureAwait(false);
        await using var graph = await GraphTestServer.StartAsync(authorization, cancellationToken: cancellationToken).ConfigureAwait(false);
        graph.KeepMails = false;

        var services = new ServiceCollection();
        services.AddSystemMail(o =>
        {
            o.From = $"Acme IoT <{authorization.User.Username}>";
            o.Provider = SmtpProviderTemplates.Office365GraphId;
            o.GraphBaseUrl = graph.BaseUri;
            o.Authentication = SmtpAuthenticationType.OAuth2;
            o.Username = authorization.User.Username;
            o.PoolSize = poolSize;
            o.Product = ActivationMail.Product;
            // Exchange's 30 a minute would make this a 5-hour run: the figure is about tokens, not pacing.
            o.RateLimit.Enabled = false;
            o.RecipientLimit.Enabled = false; // every mail goes to one recipient
            o.OAuth2.Flow = OAuthFlow.ClientCredentials;
            o.OAuth2.ClientId = authorization.Client.ClientId;
            o.OAuth2.ClientSecret = authorization.Client.ClientSecret;
            o.OAuth2.TenantId = authorization.TenantId;
        }).AddProviderTemplate(new SmtpProviderTemplate
        {
            Id = SmtpProviderTemplates.Office365GraphId,
            DisplayName = SmtpProviderTemplates.Office365Graph.DisplayName,
            Host = SmtpProviderTemplates.Office365Graph.Host,
            Port = SmtpProviderTemplates.Office365Graph.Port,
            Security = SmtpProviderTemplates.Office365Graph.Security,
            SupportedAuthentication = SmtpProviderTemplates.Office365Graph.SupportedAuthentication,
            Transport = MailTransport.MicrosoftGraph,
            OAuth2 = new SmtpOAuthMetadata
            {
                AuthorizationEndpoint = $"{authorization.BaseUri}{{tenant}}/oauth2/v2.0/authorize",
                TokenEndpoint = $"{authorization.BaseUri}{{tenant}}/oauth2/v2.0/token",
                Scopes = SmtpProviderTemplates.Office365Graph.OAuth2!.Scopes,
                ClientCredentialsScopes = SmtpProviderTemplates.Office365Graph.OAuth2.ClientCredentialsScopes,
                ClientType = OAuthClientType.Microsoft,
            },
        });
        services.AddHttpClient("SystemMail.OAuth2").ConfigurePrimaryHttpMessageHandler(authorization.CreateHttpMessageHandler);
        services.AddHttpClient("SystemMail.Graph").ConfigurePrimaryHttpMessageHandler(graph.CreateHttpMessageHandler);
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        var mailer = provider.GetRequiredService<ISystemMailer>();
        var started = Stopwatch.GetTimestamp();
        await ActivationMail.SendConcurrentlyAsync(mailer, mails, callers, cancellationToken).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);

        if (graph.Accepted != mails)
        {
            throw new InvalidOperationException($"{mails} mails were sent but the Graph endpoint accepted {graph.Accepted}.");
        }

        var result = new GraphTokenLifetimeResult(mails, lifetime, elapsed, authorization.TokenRequests, graph.Requests);
        log.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  graph: {mails} mails in {elapsed.TotalSeconds:0.0} s, {result.GraphRequests} sendMail requests, {result.TokenRequests} token request(s) in all"));

        // The figure is a claim: one client-credentials token for the whole lifetime.
        if (result.TokenRequests != 1)
        {
            throw new InvalidOperationException($"{mails} mails through Graph inside one token lifetime made {result.TokenRequests} token requests instead of 1.");
        }

        return result;
    }
}
