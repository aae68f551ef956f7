using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SystemMail.AspNetCore.Tests.Infrastructure;
using SystemMail.Tests.Infrastructure;
using SystemMail.Tests.Infrastructure.OAuth2;

namespace SystemMail.AspNetCore.Tests.Admin;

/// <summary>The admin endpoints over real HTTP on 127.0.0.1, against the real SMTP and OAuth2 test servers.</summary>
public sealed class AdminEndpointsTests : IAsyncLifetime
{
    private const string User = "mailer@acme.test";
    private const string Password = "Pw-first-7f3c1e9a";
    private const string ClientSecret = OAuth2TestServerOptions.DefaultClientSecret;

    private SmtpTestServer _smtp = null!;

    public async ValueTask InitializeAsync() =>
        _smtp = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Users = new Dictionary<string, string> { [User] = Password } });

    public async ValueTask DisposeAsync() => await _smtp.DisposeAsync();

    [Fact]
    public async Task Responses_AfterSavingSecrets_NeverContainThem()
    {
        await using var oauth2 = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        await using var host = await StartHostAsync(oauth2);
        using var admin = host.CreateClient();
        var bodies = new List<string>();

        async Task Record(Task<HttpResponseMessage> request)
        {
            using var response = await request;
            bodies.Add(response.Headers + "\n" + response.Content.Headers + "\n" + await response.Content.ReadAsStringAsync(Ct));
        }

        await Record(admin.PutSettingsAsync(BasicSettings(Password)));
        await Record(admin.GetAsync(AdminHost.Url("settings"), Ct));
        await Record(admin.GetAsync(AdminHost.Url("providers"), Ct));
        await Record(admin.PostAsJsonAsync(AdminHost.Url("test-connection"), new { }, Ct));
        await Record(admin.PostAsJsonAsync(AdminHost.Url("test-mail"), new { to = "admin@acme.test" }, Ct));
        // A refused password: the failure report names the server's reply, never the password.
        await Record(admin.PostAsJsonAsync(AdminHost.Url("test-mail"), new { to = "admin@acme.test", settings = BasicSettings("Wrong-" + Password) }, Ct));
        await Record(admin.PutSettingsAsync(OAuthSettings(oauth2, ClientSecret)));
        await Record(admin.GetAsync(AdminHost.Url("settings"), Ct));
        await Record(admin.GetAsync(AdminHost.Url("oauth2/status"), Ct));
        await Record(admin.GetAsync(AdminHost.Url("oauth2/redirect-uri"), Ct));
        await Record(admin.PostAsJsonAsync(AdminHost.Url("test-connection"), new { }, Ct));
        await Record(admin.GetAsync(AdminHost.Url("oauth2/authorize"), Ct));

        Assert.Equal(12, bodies.Count);
        foreach (var secret in new[] { Password, "Wrong-" + Password, ClientSecret })
        {
            var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(secret));
            Assert.All(bodies, body =>
            {
                Assert.DoesNotContain(secret, body, StringComparison.Ordinal);
                Assert.DoesNotContain(base64, body, StringComparison.Ordinal);
            });
        }

        var settings = await admin.GetObjectAsync("settings");
        Assert.True(settings["oauth2"]!["clientSecretSet"]!.GetValue<bool>());
        Assert.False(settings["passwordSet"]!.GetValue<bool>()); // saved for another user name: not kept
    }

    public static TheoryData<string, string> Endpoints => new()
    {
        { "GET", "settings" },
        { "PUT", "settings" },
        { "GET", "providers" },
        { "POST", "test-connection" },
        { "POST", "test-mail" },
        { "GET", "oauth2/redirect-uri" },
        { "GET", "oauth2/authorize" },
        { "GET", "oauth2/callback?code=c&state=s" },
        { "GET", "oauth2/status" },
        { "DELETE", "oauth2/tokens" },
        { "GET", "templates" },
        { "GET", "templates/PasswordReset/de" },
        { "PUT", "templates/PasswordReset/de" },
        { "DELETE", "templates/PasswordReset/de" },
        { "POST", "templates/PasswordReset/de/preview" },
        { "POST", "templates/PasswordReset/de/test" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Endpoint_NonAdministrator_IsRefusedAndChangesNothing(string method, string path)
    {
        await using var host = await StartHostAsync();
        using var anonymous = host.CreateClient(user: null);
        using var operator_ = host.CreateClient("bob", roles: "operator");

        foreach (var (client, expected) in new[] { (anonymous, HttpStatusCode.Unauthorized), (operator_, HttpStatusCode.Forbidden) })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), AdminHost.Url(path));
            if (method is "PUT" or "POST")
            {
                request.Content = JsonContent.Create(BasicSettings(Password, from: "Evil <evil@evil.test>"), options: JsonSerializerOptions.Web);
            }

            using var response = await client.SendAsync(request, Ct);
            Assert.Equal(expected, response.StatusCode);
            Assert.DoesNotContain("acme", await response.Content.ReadAsStringAsync(Ct), StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal("Acme IoT <no-reply@acme.test>", host.Services.GetRequiredService<IOptionsMonitor<SystemMailOptions>>().CurrentValue.From);
        Assert.Null(await host.Services.GetRequiredService<IOAuthTokenStore>().GetAsync("settings", Ct));
        Assert.Null(await host.Services.GetRequiredService<IOAuthTokenStore>().GetAsync("templates", Ct));
    }

    [Fact]
    public async Task SaveSettings_BlankPassword_KeepsTheStoredOne()
    {
        await using var host = await StartHostAsync();
        using var admin = host.CreateClient();
        await admin.SaveAsync(BasicSettings(Password));

        var saved = await admin.SaveAsync(BasicSettings(password: "", from: "Acme Alerts <alerts@acme.test>"));
        var savedAgain = await admin.SaveAsync(BasicSettings(password: null, from: "Acme Alerts <alerts@acme.test>"));

        Assert.True(saved["passwordSet"]!.GetValue<bool>());
        Assert.True(savedAgain["passwordSet"]!.GetValue<bool>());
        var options = host.Services.GetRequiredService<IOptionsMonitor<SystemMailOptions>>().CurrentValue;
        Assert.Equal(Password, options.Password);
        Assert.Equal("Acme Alerts <alerts@acme.test>", options.From);

        // The next mail uses the saved settings: the kept password authenticates, the new sender is on the envelope.
        await host.Services.GetRequiredService<ISystemMailer>().SendTestMailAsync("admin@acme.test", cancellationToken: Ct);
        var mail = Assert.Single(await _smtp.GetMessagesAsync(Ct));
        Assert.Equal(User, mail.AuthenticatedUser);
        Assert.Equal("alerts@acme.test", mail.MailFrom);
    }

    [Fact]
    public async Task SaveSettings_BlankPasswordForAnotherServer_AsksForThePasswordAgain()
    {
        await using var host = await StartHostAsync();
        using var admin = host.CreateClient();
        await admin.SaveAsync(BasicSettings(Password));
        await using var elsewhere = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { AuthOptional = true }, Ct);

        // The stored password never goes to a server the form names: the blank stands for "none" there.
        var moved = JsonSerializer.SerializeToNode(BasicSettings(password: ""), JsonSerializerOptions.Web)!.AsObject();
        moved["port"] = elsewhere.Port;
        using var save = await admin.PutSettingsAsync(moved);
        using var test = await admin.PostAsJsonAsync(AdminHost.Url("test-mail"), new { to = "admin@acme.test", settings = moved }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, save.StatusCode);
        Assert.Contains("entered again", (await save.ReadObjectAsync())["errors"]!["password"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var report = await test.ReadObjectAsync();
        Assert.False(report["succeeded"]!.GetValue<bool>());
        Assert.Equal("Settings", report["failedStage"]!.GetValue<string>());
        Assert.Empty((await elsewhere.GetStatsAsync(Ct)).AuthAttempts);
        Assert.Equal(_smtp.Port, host.Services.GetRequiredService<IOptionsMonitor<SystemMailOptions>>().CurrentValue.Port);
    }

    [Fact]
    public async Task SaveSettings_ProviderInformationChanged_DiscardsTheTokens()
    {
        await using var oauth2 = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        await using var host = await StartHostAsync(oauth2);
        using var admin = host.CreateClient();
        await admin.SaveAsync(OAuthSettings(oauth2, ClientSecret));
        await GenerateTokensAsync(admin, oauth2);
        Assert.Equal("Generated", (await admin.GetObjectAsync("oauth2/status"))["state"]!.GetValue<string>());

        // Not provider information: the tokens stay.
        var fromChanged = await admin.SaveAsync(OAuthSettings(oauth2, clientSecret: "", from: "Acme Alerts <alerts@acme.test>"));
        Assert.False(fromChanged["tokensDiscarded"]!.GetValue<bool>());
        Assert.Equal("Generated", (await admin.GetObjectAsync("oauth2/status"))["state"]!.GetValue<string>());

        var clientChanged = await admin.SaveAsync(OAuthSettings(oauth2, clientSecret: "another-secret", clientId: "another-client"));
        Assert.True(clientChanged["tokensDiscarded"]!.GetValue<bool>());
        var status = await admin.GetObjectAsync("oauth2/status");
        Assert.Equal("NotGenerated", status["state"]!.GetValue<string>());
        Assert.Contains("client ID", status["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("alice", status["clearedBy"]!.GetValue<string>());
        Assert.Null(status["accessTokenExpiresAt"]);
    }

    public static TheoryData<string> DestinationParts =>
        ["port", "host", "security", "proxy", "username", "client ID", "tenant", "authorization endpoint", "token endpoint", "scopes"];

    [Theory]
    [MemberData(nameof(DestinationParts))]
    public async Task SaveSettings_OAuth2DestinationPartChanged_AsksForTheSecretDiscardsTheTokensAndNoServerGetsThem(string part)
    {
        await using var oauth2 = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        await using var elsewhere = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { AuthMethods = ["PLAIN", "LOGIN", "XOAUTH2"] }, Ct);
        await using var proxy = ProxyTestServer.Start(new ProxyTestServerOptions { Protocol = ProxyTestProtocol.Http });
        await using var host = await StartHostAsync(oauth2);
        using var admin = host.CreateClient();
        await admin.SaveAsync(OAuthSettings(oauth2, ClientSecret));
        await GenerateTokensAsync(admin, oauth2);

        JsonObject Changed(string clientSecret)
        {
            var form = JsonSerializer.SerializeToNode(OAuthSettings(oauth2, clientSecret), JsonSerializerOptions.Web)!.AsObject();
            switch (part)
            {
                case "port": form["port"] = elsewhere.Port; break;
                case "security": form["security"] = "None"; break;
                case "proxy": form["proxy"] = new JsonObject { ["type"] = "Http", ["host"] = proxy.Host, ["port"] = proxy.Port }; break;
                case "username": form["username"] = "other@acme.test"; break;
                case "host": form["host"] = "localhost"; break;
                case "client ID": form["oauth2"]!["clientId"] = "another-client"; break;
                case "tenant": form["oauth2"]!["tenantId"] = "another-tenant"; break;
                case "authorization endpoint": form["oauth2"]!["authorizationEndpoint"] = new Uri(oauth2.AuthorizationEndpoint, "/other/authorize").AbsoluteUri; break;
                case "token endpoint": form["oauth2"]!["tokenEndpoint"] = new Uri(oauth2.TokenEndpoint, "/other/token").AbsoluteUri; break;
                case "scopes": form["oauth2"]!["scopes"] = new JsonArray("https://mail.test/smtp"); break;
            }

            return form;
        }

        // The client secret left blank: saved for another destination, so it must be entered again; nothing is saved.
        using var refused = await admin.PutSettingsAsync(Changed(clientSecret: ""));
        var problem = await refused.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("oauth2.clientSecret", problem, StringComparison.Ordinal);
        Assert.Contains("must be entered again", problem, StringComparison.Ordinal);
        Assert.Equal("Generated", (await admin.GetObjectAsync("oauth2/status"))["state"]!.GetValue<string>());

        // Entered again: saved, and the tokens of the old destination are gone.
        var saved = await admin.SaveAsync(Changed(ClientSecret));
        Assert.True(saved["tokensDiscarded"]!.GetValue<bool>());
        Assert.Equal("NotGenerated", (await admin.GetObjectAsync("oauth2/status"))["state"]!.GetValue<string>());

        // The next mail asks for new tokens; no server and no proxy received the old ones.
        var failure = await Assert.ThrowsAsync<SystemMailException>(() => host.Services.GetRequiredService<ISystemMailer>().SendTestMailAsync("admin@acme.test", cancellationToken: Ct));
        Assert.Equal(SystemMailErrorKind.Authentication, failure.Kind);
        Assert.Empty((await elsewhere.GetStatsAsync(Ct)).AuthAttempts);
        Assert.Empty((await _smtp.GetStatsAsync(Ct)).AuthAttempts);
        Assert.Equal(0, proxy.AcceptedConnections);
    }

    public static TheoryData<string> BasicDestinationParts => ["port", "host", "security", "username", "proxy"];

    [Theory]
    [MemberData(nameof(BasicDestinationParts))]
    public async Task SaveSettings_BasicDestinationPartChangedAndPasswordBlank_AsksForThePasswordAgainAndTestsNothing(string part)
    {
        await using var proxy = ProxyTestServer.Start(new ProxyTestServerOptions { Protocol = ProxyTestProtocol.Http });
        await using var elsewhere = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Users = new Dictionary<string, string> { [User] = Password } }, Ct);
        await using var host = await StartHostAsync();
        using var admin = host.CreateClient();
        await admin.SaveAsync(BasicSettings(Password));
        await _smtp.ResetAsync(Ct);
        var form = JsonSerializer.SerializeToNode(BasicSettings(password: ""), JsonSerializerOptions.Web)!.AsObject();
        switch (part)
        {
            case "port": form["port"] = elsewhere.Port; break;
            case "host": form["host"] = "localhost"; break;
            case "security": form["security"] = "None"; break;
            case "username": form["username"] = "other@acme.test"; break;
            case "proxy": form["proxy"] = new JsonObject { ["type"] = "Http", ["host"] = proxy.Host, ["port"] = proxy.Port }; break;
        }

        using var refused = await admin.PutSettingsAsync(form);
        using var tested = await admin.PostAsJsonAsync(AdminHost.Url("test-connection"), new { settings = form }, Ct);
        var report = await tested.ReadObjectAsync();

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("must be entered again", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal("Settings", report["failedStage"]!.GetValue<string>());
        Assert.Equal(0, proxy.AcceptedConnections);
        Assert.Equal(0, (await _smtp.GetStatsAsync(Ct)).Connections);
        Assert.Equal(0, (await elsewhere.GetStatsAsync(Ct)).Connections);
        Assert.Equal(Password, host.Services.GetRequiredService<IOptionsMonitor<SystemMailOptions>>().CurrentValue.Password);
    }

    [Fact]
    public async Task GenerateAccessToken_RoundTrip_StoresTokensAndReturnsToThePage()
    {
        await using var oauth2 = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        await using var host = await StartHostAsync(oauth2);
        using var admin = host.CreateClient();
        await admin.SaveAsync(OAuthSettings(oauth2, ClientSecret));

        var redirectUri = (await admin.GetObjectAsync("oauth2/redirect-uri"))["redirectUri"]!.GetValue<string>();
        var back = await GenerateTokensAsync(admin, oauth2);

        Assert.Equal(new Uri(host.BaseAddress, AdminHost.Url("oauth2/callback")).AbsoluteUri, redirectUri);
        Assert.Equal(redirectUri, oauth2.LastAuthorizeRequest!.Parameters["redirect_uri"]);
        Assert.True(back == AdminHost.SettingsPage + "?oauth2=generated", Uri.UnescapeDataString(back));
        var status = await admin.GetObjectAsync("oauth2/status");
        Assert.Equal("Generated", status["state"]!.GetValue<string>());
        Assert.NotNull(status["accessTokenExpiresAt"]);

        using var cleared = await admin.DeleteAsync(AdminHost.Url("oauth2/tokens"), Ct);
        Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
        Assert.Equal("NotGenerated", (await admin.GetObjectAsync("oauth2/status"))["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task OAuth2Callback_AnotherAdministrator_IsRefused()
    {
        await using var oauth2 = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        await using var host = await StartHostAsync(oauth2);
        using var alice = host.CreateClient("alice");
        using var carol = host.CreateClient("carol");
        await alice.SaveAsync(OAuthSettings(oauth2, ClientSecret));

        using var start = await alice.GetAsync(AdminHost.Url("oauth2/authorize"), Ct);
        var consent = await oauth2.AuthorizeAsync(start.Headers.Location!, Ct);
        using var callback = await carol.GetAsync(consent.Location, Ct);

        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.StartsWith(AdminHost.SettingsPage + "?oauth2=failed&message=", callback.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Contains("someone else", Uri.UnescapeDataString(callback.Headers.Location.OriginalString), StringComparison.Ordinal);
        Assert.Equal("NotGenerated", (await alice.GetObjectAsync("oauth2/status"))["state"]!.GetValue<string>());
        Assert.Equal(0, oauth2.GetTokenRequestCount(OAuth2GrantTypes.AuthorizationCode));
    }

    [Fact]
    public async Task SaveSettings_InvalidValues_Returns400WithErrorsByField()
    {
        await using var host = await StartHostAsync();
        using var admin = host.CreateClient();

        using var response = await admin.PutSettingsAsync(new { from = "not an address", provider = "custom", host = "127.0.0.1", port = 70000, authentication = "Basic", username = "", password = "x" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadObjectAsync())["errors"]!.AsObject();
        Assert.Contains("from", errors.Select(e => e.Key));
        Assert.Contains("port", errors.Select(e => e.Key));
        Assert.Contains("username", errors.Select(e => e.Key));
        Assert.Null(await host.Services.GetRequiredService<IOAuthTokenStore>().GetAsync("settings", Ct));
    }

    [Fact]
    public async Task SaveSettings_StaleVersion_Returns409()
    {
        await using var host = await StartHostAsync();
        using var admin = host.CreateClient();
        var first = await admin.SaveAsync(BasicSettings(Password));
        await admin.SaveAsync(BasicSettings(Password, from: "Acme Alerts <alerts@acme.test>"));

        var stale = JsonSerializer.SerializeToNode(BasicSettings(Password, from: "Stale <stale@acme.test>"), JsonSerializerOptions.Web)!.AsObject();
        stale["version"] = first["version"]!.GetValue<string>();
        using var response = await admin.PutSettingsAsync(stale);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("Acme Alerts <alerts@acme.test>", (await admin.GetObjectAsync("settings"))["from"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("Admin <admin@acme.test>")]
    [InlineData("admin\u202E@acme.test")]
    public async Task TestMail_RecipientNotABareAddress_AnswersAValidationProblemOnTo(string to)
    {
        await using var host = await StartHostAsync();
        using var admin = host.CreateClient();
        await admin.SaveAsync(BasicSettings(Password));
        await _smtp.ResetStatsAsync(Ct);

        using var response = await admin.PostAsJsonAsync(AdminHost.Url("test-mail"), new { to }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotEmpty((await response.ReadObjectAsync())["errors"]!["to"]![0]!.GetValue<string>());
        Assert.Equal(0, (await _smtp.GetStatsAsync(Ct)).Connections);
    }

    [Fact]
    public async Task TestMail_UnsavedWrongPort_ReportsTheConnectStageAndHint()
    {
        await using var host = await StartHostAsync();
        using var admin = host.CreateClient();
        await admin.SaveAsync(BasicSettings(Password));

        var form = JsonSerializer.SerializeToNode(BasicSettings(Password), JsonSerializerOptions.Web)!.AsObject();
        form["port"] = TcpPorts.GetUnusedPort();
        using var response = await admin.PostAsJsonAsync(AdminHost.Url("test-mail"), new { to = "admin@acme.test", settings = form }, Ct);
        var report = await response.ReadObjectAsync();

        Assert.False(report["succeeded"]!.GetValue<bool>());
        Assert.Equal("unsaved settings", report["steps"]![0]!["detail"]!.GetValue<string>());
        Assert.Equal("Connect", report["failedStage"]!.GetValue<string>());
        Assert.Equal("Connection", report["errorKind"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(report["hint"]?.GetValue<string>()));
        Assert.Empty(await _smtp.GetMessagesAsync(Ct));
        Assert.Equal(_smtp.Port, host.Services.GetRequiredService<IOptionsMonitor<SystemMailOptions>>().CurrentValue.Port);
    }

    [Fact]
    public async Task TestMail_UnsavedSettingsWithBlankPassword_UsesTheStoredPassword()
    {
        await using var host = await StartHostAsync();
        using var admin = host.CreateClient();
        await admin.SaveAsync(BasicSettings(Password));

        using var response = await admin.PostAsJsonAsync(AdminHost.Url("test-mail"), new { to = "admin@acme.test", settings = BasicSettings(password: "", from: "Unsaved <unsaved@acme.test>") }, Ct);
        var report = await response.ReadObjectAsync();

        Assert.True(report["succeeded"]!.GetValue<bool>(), report.ToJsonString());
        var mail = Assert.Single(await _smtp.GetMessagesAsync(Ct));
        Assert.Equal("unsaved@acme.test", mail.MailFrom);
        Assert.Equal("Acme IoT <no-reply@acme.test>", host.Services.GetRequiredService<IOptionsMonitor<SystemMailOptions>>().CurrentValue.From);
    }

    [Theory]
    [InlineData("test-connection", "application/x-www-form-urlencoded", "")]
    [InlineData("test-connection", "text/plain", "")]
    [InlineData("test-mail", "application/x-www-form-urlencoded", "to=admin%40acme.test")]
    [InlineData("test-mail", "multipart/form-data; boundary=x", "--x--")]
    public async Task TestEndpoints_BodyThatACrossSiteFormCanSend_Refused415AndNoConnection(string path, string contentType, string body)
    {
        await using var host = await StartHostAsync();
        using var admin = host.CreateClient();
        await admin.SaveAsync(BasicSettings(Password));
        await _smtp.ResetAsync(Ct);
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);

        using var response = await admin.PostAsync(AdminHost.Url(path), content, Ct);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(0, (await _smtp.GetStatsAsync(Ct)).Connections);
    }

    [Fact]
    public async Task TestConnection_SavedSettings_AuthenticatesWithoutSending()
    {
        await using var host = await StartHostAsync();
        using var admin = host.CreateClient();
        await admin.SaveAsync(BasicSettings(Password));

        using var empty = new StringContent(string.Empty, Encoding.UTF8, "application/json");
        using var response = await admin.PostAsync(AdminHost.Url("test-connection"), empty, Ct);
        var report = await response.ReadObjectAsync();

        Assert.True(report["succeeded"]!.GetValue<bool>(), report.ToJsonString());
        Assert.Equal("saved settings", report["steps"]![0]!["detail"]!.GetValue<string>());
        Assert.Equal(_smtp.Port, report["port"]!.GetValue<int>());
        Assert.Contains("AUTH PLAIN LOGIN", report["capabilities"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.NotNull(report["tls"]!["protocol"]);
        Assert.Empty(await _smtp.GetMessagesAsync(Ct));
        var stats = await _smtp.GetStatsAsync(Ct);
        Assert.Contains(stats.AuthAttempts, a => a.Username == User && a.Success);
        Assert.Equal(0, stats.CommandCount("MAIL"));
        Assert.Equal(1, stats.CommandCount("QUIT"));
    }

    [Fact]
    public async Task TestConnection_UnsavedWrongPassword_ReportsTheAuthenticationStage()
    {
        await using var host = await StartHostAsync();
        using var admin = host.CreateClient();
        await admin.SaveAsync(BasicSettings(Password));

        using var response = await admin.PostAsJsonAsync(AdminHost.Url("test-connection"), new { settings = BasicSettings("Wrong-" + Password) }, Ct);
        var report = await response.ReadObjectAsync();

        Assert.False(report["succeeded"]!.GetValue<bool>());
        Assert.Equal("Authenticate", report["failedStage"]!.GetValue<string>());
        Assert.Equal(535, report["serverReply"]!["statusCode"]!.GetValue<int>());
        Assert.DoesNotContain("Wrong-" + Password, report["transcript"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(Password, host.Services.GetRequiredService<IOptionsMonitor<SystemMailOptions>>().CurrentValue.Password);
    }

    [Fact]
    public async Task TestMail_UnsavedProviderInformation_LeavesTheSavedTokensAlone()
    {
        await using var oauth2 = await OAuth2TestServer.StartAsync(cancellationToken: Ct);
        await using var host = await StartHostAsync(oauth2);
        using var admin = host.CreateClient();
        await admin.SaveAsync(OAuthSettings(oauth2, ClientSecret));
        await GenerateTokensAsync(admin, oauth2);

        using var response = await admin.PostAsJsonAsync(AdminHost.Url("test-mail"), new { to = "admin@acme.test", settings = OAuthSettings(oauth2, clientSecret: "another-secret", clientId: "another-client") }, Ct);
        var report = await response.ReadObjectAsync();

        Assert.False(report["succeeded"]!.GetValue<bool>());
        Assert.Equal("Settings", report["failedStage"]!.GetValue<string>());
        Assert.Equal("Generated", (await admin.GetObjectAsync("oauth2/status"))["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Providers_Get_ListsTheTemplatesWithTheirLockedValues()
    {
        await using var host = await StartHostAsync();
        using var admin = host.CreateClient();

        using var response = await admin.GetAsync(AdminHost.Url("providers"), Ct);
        var providers = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!.AsArray();

        Assert.Equal(["google", "office365", "office365-graph", "sendgrid", "custom"], providers.Select(p => p!["id"]!.GetValue<string>()));
        var google = providers[0]!;
        Assert.Equal("smtp.gmail.com", google["host"]!.GetValue<string>());
        Assert.Equal("SslOnConnect", google["security"]!.GetValue<string>());
        Assert.False(google["allowsCustomConnection"]!.GetValue<bool>());
        Assert.True(providers[1]!["oauth2"]!["requiresTenant"]!.GetValue<bool>());
        Assert.Equal(["OAuth2"], providers[2]!["supportedAuthentication"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal("MicrosoftGraph", providers[2]!["transport"]!.GetValue<string>());
        Assert.Equal("Smtp", providers[1]!["transport"]!.GetValue<string>());
        Assert.Equal("apikey", providers[3]!["fixedUsername"]!.GetValue<string>());
        Assert.True(providers[4]!["allowsCustomConnection"]!.GetValue<bool>());
    }

    [Fact]
    public async Task SavedSettings_HostRestarts_AreLoadedFromTheHostStoreAtStartUp()
    {
        var store = new RecordingSettingsStore();
        var keys = new EphemeralDataProtectionProvider();
        void Shared(ISystemMailBuilder mail)
        {
            mail.Services.Replace(ServiceDescriptor.Singleton<IOAuthTokenStore>(store));
            mail.Services.AddSingleton<IDataProtectionProvider>(keys);
        }

        await using (var first = await StartHostAsync(systemMail: Shared))
        {
            using var admin = first.CreateClient();
            await admin.SaveAsync(BasicSettings(Password, from: "Acme Alerts <alerts@acme.test>"));
        }

        await using var second = await StartHostAsync(systemMail: Shared);
        var options = second.Services.GetRequiredService<IOptionsMonitor<SystemMailOptions>>().CurrentValue;

        Assert.Equal("Acme Alerts <alerts@acme.test>", options.From);
        Assert.Equal(Password, options.Password);
        Assert.DoesNotContain(Password, Encoding.UTF8.GetString(store.Saved.Span), StringComparison.Ordinal);
        Assert.DoesNotContain("alerts@acme.test", Encoding.UTF8.GetString(store.Saved.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SavedSettings_SavedOnAnotherInstance_ReachThisOneWithAReloadInterval()
    {
        var store = new RecordingSettingsStore();
        var keys = new EphemeralDataProtectionProvider();
        void Farm(ISystemMailBuilder mail)
        {
            mail.AddAdmin(o => o.SettingsReloadInterval = TimeSpan.FromMilliseconds(100));
            mail.Services.Replace(ServiceDescriptor.Singleton<IOAuthTokenStore>(store));
            mail.Services.AddSingleton<IDataProtectionProvider>(keys);
        }

        await using var first = await StartHostAsync(systemMail: Farm);
        await using var second = await StartHostAsync(systemMail: Farm);
        var changes = 0;
        using var listener = second.Services.GetRequiredService<IOptionsMonitor<SystemMailOptions>>().OnChange(_ => Interlocked.Increment(ref changes));
        using var admin = first.CreateClient();
        await admin.SaveAsync(BasicSettings(Password, from: "Acme Alerts <alerts@acme.test>"));

        var monitor = second.Services.GetRequiredService<IOptionsMonitor<SystemMailOptions>>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        // The monitor serves the new value just before it tells its listeners: wait for both.
        while (monitor.CurrentValue.From != "Acme Alerts <alerts@acme.test>" || Volatile.Read(ref changes) == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The second instance never saw the settings saved on the first, or never said so.");
            await Task.Delay(50, Ct);
        }

        Assert.Equal(Password, monitor.CurrentValue.Password);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<AdminHost> StartHostAsync(OAuth2TestServer? oauth2 = null, Action<ISystemMailBuilder>? systemMail = null) =>
        AdminHost.StartAsync(o => o.ServerCertificateValidationCallback = _smtp.TestCertificate.Pin(), systemMail, oauth2, Ct);

    private object BasicSettings(string? password, string from = "Acme IoT <no-reply@acme.test>") => new
    {
        from,
        provider = "custom",
        host = _smtp.Host,
        port = _smtp.Port,
        security = "StartTls",
        timeoutSeconds = 10,
        authentication = "Basic",
        username = User,
        password,
    };

    private object OAuthSettings(OAuth2TestServer oauth2, string clientSecret, string clientId = OAuth2TestServerOptions.DefaultClientId, string from = "Acme IoT <no-reply@acme.test>") => new
    {
        from,
        provider = "custom",
        host = _smtp.Host,
        port = _smtp.Port,
        security = "StartTls",
        authentication = "OAuth2",
        username = OAuth2TestUser.Default.Username,
        oauth2 = new
        {
            clientId,
            clientSecret,
            authorizationEndpoint = oauth2.AuthorizationEndpoint,
            tokenEndpoint = oauth2.TokenEndpoint,
            scopes = new[] { "https://mail.test/smtp", "offline_access" },
        },
    };

    /// <summary>Plays the administrator's browser through "Generate access token"; returns where the callback sent it.</summary>
    private static async Task<string> GenerateTokensAsync(HttpClient admin, OAuth2TestServer oauth2)
    {
        using var start = await admin.GetAsync(AdminHost.Url("oauth2/authorize"), Ct);
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        Assert.StartsWith(oauth2.AuthorizationEndpoint.AbsoluteUri, start.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);

        var consent = await oauth2.AuthorizeAsync(start.Headers.Location, Ct);
        using var callback = await admin.GetAsync(consent.Location, Ct);
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        return callback.Headers.Location!.OriginalString;
    }
}
