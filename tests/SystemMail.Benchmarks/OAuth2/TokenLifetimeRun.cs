using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using SystemMail.Benchmarks.Mail;
using SystemMail.Tests.Infrastructure;
using SystemMail.Tests.Infrastructure.OAuth2;

namespace SystemMail.Benchmarks.OAuth2;

/// <summary>
/// Sends many mails with OAuth2 (XOAUTH2) inside one access-token lifetime and counts the requests that reached
/// the token endpoint. Real parts: the tests' HTTPS authorization server and their SMTP server (Node.js), which
/// checks every XOAUTH2 token with that authorization server (RFC 7662).
/// </summary>
internal static class TokenLifetimeRun
{
    public static async Task<TokenLifetimeResult> RunAsync(int mails, int poolSize, int callers, TextWriter log, CancellationToken cancellationToken)
    {
        await EnsureSmtpServerPackagesAsync(log, cancellationToken).ConfigureAwait(false);
        var lifetime = TimeSpan.FromHours(1);
        await using var authorization = await OAuth2TestServer.StartAsync(new OAuth2TestServerOptions { AccessTokenLifetime = lifetime }, cancellationToken).ConfigureAwait(false);
        await using var smtp = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { AuthMethods = ["XOAUTH2"], XOAuth2Issuer = authorization }, cancellationToken).ConfigureAwait(false);

        var services = new ServiceCollection();
        services.AddSystemMail(o =>
        {
            o.From = $"Acme IoT <{authorization.User.Username}>";
            o.Provider = "custom";
            o.Host = smtp.Host;
            o.Port = smtp.Port;
            o.Security = SmtpSecurity.StartTls;
            o.Authentication = SmtpAuthenticationType.OAuth2;
            o.Username = authorization.User.Username;
            o.PoolSize = poolSize;
            o.Product = ActivationMail.Product;
            o.RecipientLimit.Enabled = false; // every mail goes to one recipient
            o.CheckCertificateRevocation = false;
            o.ServerCertificateValidationCallback = smtp.TestCertificate.Pin();
            o.OAuth2.ClientId = authorization.Client.ClientId;
            o.OAuth2.ClientSecret = authorization.Client.ClientSecret;
            o.OAuth2.RedirectUri = new Uri("https://admin.systemmail.test/settings/mail/oauth2/callback");
            o.OAuth2.AuthorizationEndpoint = authorization.AuthorizationEndpoint;
            o.OAuth2.TokenEndpoint = authorization.TokenEndpoint;
            o.OAuth2.Scopes = ["smtp.send"];
        });
        services.AddHttpClient("SystemMail.OAuth2").ConfigurePrimaryHttpMessageHandler(authorization.CreateHttpMessageHandler);
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        // "Generate access token", as the settings page does it: consent, then the code exchanged for tokens.
        var status = await provider.GetRequiredService<IOAuthTokenService>().GenerateAccessTokenAsync(authorization, cancellationToken).ConfigureAwait(false);
        if (status.State != OAuthTokenState.Generated)
        {
            throw new InvalidOperationException($"The access token was not generated: {status.State} {status.Reason}");
        }

        var mailer = provider.GetRequiredService<ISystemMailer>();
        var started = Stopwatch.GetTimestamp();
        await ActivationMail.SendConcurrentlyAsync(mailer, mails, callers, cancellationToken).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);

        var stats = await smtp.GetStatsAsync(cancellationToken).ConfigureAwait(false);
        if (stats.Messages != mails)
        {
            throw new InvalidOperationException($"{mails} mails were sent but the SMTP server received {stats.Messages}.");
        }

        var result = new TokenLifetimeResult(
            mails,
            lifetime,
            elapsed,
            TokenRequests: authorization.TokenRequests,
            XOAuth2Logins: stats.AuthAttempts.Count(a => a.Success),
            Introspections: authorization.IntrospectionRequests);
        log.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  oauth2: {mails} mails in {elapsed.TotalSeconds:0.0} s, {result.XOAuth2Logins} XOAUTH2 logins, {result.TokenRequests} token request(s) in all"));

        // The figure is a claim: the code exchange and nothing else inside one token lifetime.
        if (result.TokenRequests != 1)
        {
            throw new InvalidOperationException($"{mails} mails inside one token lifetime made {result.TokenRequests} token requests instead of 1.");
        }

        return result;
    }

    /// <summary>Installs the Node.js SMTP server's packages from its lock file when they are missing (the test build does the same).</summary>
    private static async Task EnsureSmtpServerPackagesAsync(TextWriter log, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(TestServerPaths.RepositoryRoot, "tests", "TestServers", "smtp");
        if (File.Exists(Path.Combine(directory, "node_modules", "smtp-server", "package.json")))
        {
            return;
        }

        log.WriteLine("  installing the SMTP test server's npm packages (npm ci)");
        using var npm = Process.Start(new ProcessStartInfo("npm", "ci --no-audit --no-fund") { WorkingDirectory = directory, UseShellExecute = false })
            ?? throw new InvalidOperationException("npm did not start; the OAuth2 figure needs Node.js 20 or later with npm.");
        await npm.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (npm.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm ci failed with exit code {npm.ExitCode}.");
        }
    }
}
