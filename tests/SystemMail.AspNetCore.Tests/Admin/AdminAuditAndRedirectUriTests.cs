using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging.Testing;
using SystemMail.AspNetCore.Tests.Infrastructure;
using SystemMail.Tests.Infrastructure;
using SystemMail.Tests.Infrastructure.OAuth2;

namespace SystemMail.AspNetCore.Tests.Admin;

/// <summary>
/// The redirect URI comes from configuration, never from a request's Host header; and what administrators do is
/// audited: who, and which fields (names only).
/// </summary>
public sealed class AdminAuditAndRedirectUriTests : IAsyncLifetime
{
    private const string User = "mailer@acme.test";
    private const string Password = "Pw-audit-5d1b7c0e";
    private const string EvilHost = "evil.example";

    private SmtpTestServer _smtp = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        _smtp = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Users = new Dictionary<string, string> { [User] = Password } });

    public async ValueTask DisposeAsync() => await _smtp.DisposeAsync();

    [Fact]
    public async Task RedirectUri_RequestsWithHostEvilExample_ComeFromThePublicBaseUrl()
    {
        await using var oauth2 = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        await using var host = await StartHostAsync(oauth2);
        using var admin = host.CreateClient();
        var expected = new Uri(host.BaseAddress, AdminHost.Url("oauth2/callback")).AbsoluteUri;

        using var save = Evil(HttpMethod.Put, "settings", OAuthSettings(oauth2));
        using var saved = await admin.SendAsync(save, Ct);
        using var get = Evil(HttpMethod.Get, "oauth2/redirect-uri");
        using var shown = await admin.SendAsync(get, Ct);
        using var authorize = Evil(HttpMethod.Get, "oauth2/authorize");
        using var started = await admin.SendAsync(authorize, Ct);

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(expected, (await shown.ReadObjectAsync())["redirectUri"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        Assert.Equal(expected, QueryHelpers.ParseQuery(started.Headers.Location!.Query)["redirect_uri"].ToString());
        Assert.DoesNotContain(EvilHost, await saved.Content.ReadAsStringAsync(Ct), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(EvilHost, started.Headers.Location.AbsoluteUri, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task RedirectUri_NoPublicBaseUrlAndHostEvilExample_NoneOfferedAndSaveAsksForIt()
    {
        await using var oauth2 = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        await using var host = await StartHostAsync(oauth2, publicBaseUrl: false);
        using var admin = host.CreateClient();

        using var get = Evil(HttpMethod.Get, "oauth2/redirect-uri");
        using var shown = await admin.SendAsync(get, Ct);
        using var save = Evil(HttpMethod.Put, "settings", OAuthSettings(oauth2));
        using var refused = await admin.SendAsync(save, Ct);

        var document = await shown.ReadObjectAsync();
        Assert.Null(document["redirectUri"]);
        Assert.Contains("PublicBaseUrl", document["problem"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var body = await refused.Content.ReadAsStringAsync(Ct);
        Assert.Contains("PublicBaseUrl", body, StringComparison.Ordinal);
        Assert.DoesNotContain(EvilHost, body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AdminActions_Audited_NameTheAdministratorAndFieldsButNoSecret()
    {
        using var logs = new FakeLoggerProvider();
        await using var oauth2 = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        await using var host = await StartHostAsync(oauth2, logs: logs);
        using var alice = host.CreateClient("alice");

        await alice.SaveAsync(BasicSettings());
        using var tested = await alice.PostAsJsonAsync(AdminHost.Url("test-connection"), new { settings = BasicSettings(timeoutSeconds: 12) }, Ct);
        await alice.SaveAsync(OAuthSettings(oauth2));
        using var start = await alice.GetAsync(AdminHost.Url("oauth2/authorize"), Ct);
        var consent = await oauth2.AuthorizeAsync(start.Headers.Location!, Ct);
        using var callback = await alice.GetAsync(consent.Location, Ct);
        using var cleared = await alice.DeleteAsync(AdminHost.Url("oauth2/tokens"), Ct);
        var status = await alice.GetObjectAsync("oauth2/status");

        var audit = logs.Collector.GetSnapshot().Where(r => r.Id.Id is >= 2040 and <= 2044).ToList();
        Assert.Equal([2040, 2041, 2040, 2042, 2043, 2044], audit.Select(r => r.Id.Id));
        Assert.All(audit, r => Assert.Equal("alice", r.GetStructuredStateValue("Administrator")));
        var firstSave = audit[0].GetStructuredStateValue("Fields")!;
        Assert.Contains("Port", firstSave, StringComparison.Ordinal);
        Assert.DoesNotContain("From", firstSave, StringComparison.Ordinal);
        Assert.Contains("Password", firstSave, StringComparison.Ordinal);
        Assert.Equal("Timeout", audit[1].GetStructuredStateValue("Fields"));
        Assert.Contains("OAuth2.ClientSecret", audit[2].GetStructuredStateValue("Fields"), StringComparison.Ordinal);
        Assert.Contains("alice", audit[5].Message, StringComparison.Ordinal);

        // Names, never values: no secret and no token in any log line or its state.
        var secrets = new[] { Password, oauth2.Client.ClientSecret }.Concat(oauth2.ValidAccessTokens.Select(t => t.Value));
        foreach (var record in logs.Collector.GetSnapshot())
        {
            var text = record.Message + " " + string.Join(" ", record.StructuredState?.Select(kv => kv.Value) ?? []);
            Assert.All(secrets, secret => Assert.DoesNotContain(secret, text, StringComparison.Ordinal));
        }

        // The token status says who cleared the tokens.
        Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
        Assert.Equal("NotGenerated", status["state"]!.GetValue<string>());
        Assert.Equal("alice", status["clearedBy"]!.GetValue<string>());
        Assert.NotNull(status["clearedAt"]);
    }

    /// <summary>A host that lets any Host header through (no AllowedHosts filtering), so the endpoints themselves are tested.</summary>
    private Task<AdminHost> StartHostAsync(OAuth2TestServer oauth2, FakeLoggerProvider? logs = null, bool publicBaseUrl = true) =>
        AdminHost.StartAsync(o => o.ServerCertificateValidationCallback = _smtp.TestCertificate.Pin(), null, oauth2, Ct, logs, publicBaseUrl, anyHost: true);

    /// <summary>A request whose Host header names another site, as an attacker (or a misconfigured proxy) sends it.</summary>
    private static HttpRequestMessage Evil(HttpMethod method, string path, object? body = null)
    {
        var request = new HttpRequestMessage(method, AdminHost.Url(path));
        request.Headers.Host = EvilHost;
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: JsonSerializerOptions.Web);
        }

        return request;
    }

    private object BasicSettings(int timeoutSeconds = 10) => new
    {
        from = "Acme IoT <no-reply@acme.test>",
        provider = "custom",
        host = _smtp.Host,
        port = _smtp.Port,
        security = "StartTls",
        timeoutSeconds,
        authentication = "Basic",
        username = User,
        password = Password,
    };

    private object OAuthSettings(OAuth2TestServer oauth2) => new
    {
        from = "Acme IoT <no-reply@acme.test>",
        provider = "custom",
        host = _smtp.Host,
        port = _smtp.Port,
        security = "StartTls",
        timeoutSeconds = 10,
        authentication = "OAuth2",
        username = OAuth2TestUser.Default.Username,
        oauth2 = new
        {
            clientId = oauth2.Client.ClientId,
            clientSecret = oauth2.Client.ClientSecret,
            authorizationEndpoint = oauth2.AuthorizationEndpoint,
            tokenEndpoint = oauth2.TokenEndpoint,
            scopes = new[] { "https://mail.test/smtp", "offline_access" },
        },
    };
}
