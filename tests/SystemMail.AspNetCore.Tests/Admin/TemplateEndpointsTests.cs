using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using SystemMail.AspNetCore.Tests.Infrastructure;
using SystemMail.EntityFrameworkCore;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.AspNetCore.Tests.Admin;

/// <summary>
/// Templates an administrator edits, over real HTTP on 127.0.0.1: saved in the store, checked on save, previewed, sent
/// as a test, used by the next mail (received by a real SMTP server) and falling back when they fail at render time.
/// </summary>
public sealed class TemplateEndpointsTests : IAsyncLifetime
{
    private const string Recipient = "user@acme.test";

    private static readonly object SavedReset = new
    {
        subject = "CUSTOM {{ product_name }}: neues Passwort",
        html = "<p>Hallo {{ recipient }}, <a href=\"{{ link }}\">hier</a> ({{ lifetime }}).</p>",
        text = "CUSTOM-TEXT Hallo {{ recipient }}, öffnen Sie {{ link }} innerhalb von {{ lifetime }}.",
    };

    private SmtpTestServer _smtp = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _smtp = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { AuthOptional = true });

    public async ValueTask DisposeAsync() => await _smtp.DisposeAsync();

    [Fact]
    public async Task SaveGetReset_InMemoryStore_RoundTrips()
    {
        await using var host = await StartHostAsync();
        using var admin = host.CreateClient();

        var saved = await SaveAsync(admin, "PasswordReset", "de", SavedReset, version: null);
        var read = await admin.GetObjectAsync("templates/PasswordReset/de");
        var list = await admin.GetObjectAsync("templates");
        using var reset = await admin.DeleteAsync(AdminHost.Url($"templates/PasswordReset/de?version={saved["version"]}"), Ct);
        var afterReset = await admin.GetObjectAsync("templates/PasswordReset/de");

        Assert.Equal("CUSTOM {{ product_name }}: neues Passwort", read["saved"]!["subject"]!.GetValue<string>());
        Assert.Equal(read["saved"]!.ToJsonString(), read["current"]!.ToJsonString());
        Assert.Equal("Passwort für {{ product_name }} zurücksetzen", read["builtIn"]!["subject"]!.GetValue<string>().Trim());
        Assert.Equal(saved["version"]!.GetValue<string>(), read["version"]!.GetValue<string>());
        Assert.Equal("alice", read["updatedBy"]!.GetValue<string>());
        Assert.Equal("link", read["requiredVariable"]!.GetValue<string>());
        Assert.Contains("lifetime_minutes", read["variables"]!.AsArray().Select(v => v!.GetValue<string>()));

        var cultures = list["cultures"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        Assert.Equal(["en", "de", "es", "fr", "ja", "ko", "pt-BR", "ru", "zh-Hans", "zh-Hant"], cultures);
        var entries = list["templates"]!.AsArray();
        Assert.Equal(Enum.GetValues<SystemMailKind>().Length * cultures.Count, entries.Count);
        var overridden = Assert.Single(entries, e => e!["overridden"]!.GetValue<bool>());
        Assert.Equal(("PasswordReset", "de"), (overridden!["kind"]!.GetValue<string>(), overridden["culture"]!.GetValue<string>()));

        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Null(afterReset["saved"]);
        Assert.Null(afterReset["version"]);
        Assert.Equal(afterReset["builtIn"]!.ToJsonString(), afterReset["current"]!.ToJsonString());
    }

    [Fact]
    public async Task SaveTestAndReset_AreAuditedWithTheAdministratorNeverTheText()
    {
        var logs = new FakeLogCollector();
        await using var host = await StartHostAsync(b => b.Services.AddSingleton<ILoggerProvider>(new FakeLoggerProvider(logs)));
        using var admin = host.CreateClient("carol");

        await SaveAsync(admin, "PasswordReset", "de", SavedReset, version: null);
        using var refused = await PutAsync(admin, "PasswordReset", "de", new { subject = "S", html = "{{ secret_value }}", text = "x" }, version: null);
        using var test = await admin.PostAsJsonAsync(AdminHost.Url("templates/PasswordReset/de/test"), new { to = "admin@acme.test" }, Ct);
        using var reset = await admin.DeleteAsync(AdminHost.Url("templates/PasswordReset/de"), Ct);

        var audit = logs.GetSnapshot().Where(r => r.Id.Id is >= 2100 and <= 2105).ToList();
        Assert.Equal([2100, 2103, 2104, 2101], audit.Select(r => r.Id.Id));
        Assert.All(audit, r =>
        {
            Assert.Contains("carol", r.Message, StringComparison.Ordinal);
            Assert.Contains("PasswordReset", r.Message, StringComparison.Ordinal);
            Assert.Contains("(de)", r.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("CUSTOM", r.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("sample-reset-token", r.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Save_ConcurrentSavesFromOneVersion_OneWinsTheOtherAnswers409()
    {
        await using var host = await StartHostAsync();
        using var alice = host.CreateClient("alice");
        using var bob = host.CreateClient("bob");
        var first = await SaveAsync(alice, "PasswordReset", "de", SavedReset, version: null);
        var version = first["version"]!.GetValue<string>();

        var answers = await Task.WhenAll(
            PutAsync(alice, "PasswordReset", "de", SavedReset, version),
            PutAsync(bob, "PasswordReset", "de", SavedReset, version));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order());
        foreach (var answer in answers)
        {
            answer.Dispose();
        }

        // An old version, and "none saved yet" when one is: both stale.
        using var stale = await PutAsync(alice, "PasswordReset", "de", SavedReset, version);
        using var none = await PutAsync(alice, "PasswordReset", "de", SavedReset, version: null);
        using var staleReset = await alice.DeleteAsync(AdminHost.Url($"templates/PasswordReset/de?version={version}"), Ct);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, none.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, staleReset.StatusCode);
    }

    public static TheoryData<string, string, string, int?, int?, string> Refusals => new()
    {
        // part, body part, template, line, column, message
        { "html", "html", "<p>{{ link }}</p>\n<p>{% if recipient %}oops</p>", 2, null, "Liquid syntax error" },
        { "text", "text", "Hello,\n\n  open {{ reset_url }} now: {{ link }}", 3, 11, "'reset_url' is not a variable of the PasswordReset mail" },
        { "text", "text", "Open the page we sent you earlier.", null, null, "{{ link }}" },
        { "html", "html", "<p>{{ link }}</p><script>alert(1)</script>", 1, 18, "'<script' is not allowed" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Save_InvalidTemplate_Answers400WithLineAndColumnAndSavesNothing(string part, string field, string template, int? line, int? column, string message)
    {
        await using var host = await StartHostAsync();
        using var admin = host.CreateClient();
        var body = new Dictionary<string, string>
        {
            ["subject"] = "Reset",
            ["html"] = "<p>{{ link }}</p>",
            ["text"] = "{{ link }}",
        };
        body[field] = template;

        using var response = await PutAsync(admin, "PasswordReset", "en", body, version: null);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var item = Assert.Single(problem["problems"]!.AsArray());
        Assert.Equal(part, item!["part"]!.GetValue<string>());
        Assert.Equal(line, item["line"]?.GetValue<int>());
        if (column is not null)
        {
            Assert.Equal(column, item["column"]?.GetValue<int>());
        }
        else if (line is not null)
        {
            Assert.NotNull(item["column"]);
        }

        Assert.Contains(message, item["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(message, problem["errors"]![part]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null((await admin.GetObjectAsync("templates/PasswordReset/en"))["saved"]);
    }

    [Fact]
    public async Task Send_AfterSave_TheNextMailUsesTheSavedTemplate()
    {
        await using var host = await StartHostAsync();
        using var admin = host.CreateClient();
        var mailer = host.Services.GetRequiredService<ISystemMailer>();
        await mailer.SendPasswordResetAsync(Recipient, new Uri("https://app.acme.test/reset?token=before"), TimeSpan.FromHours(1), CultureInfo.GetCultureInfo("de-AT"), Ct);

        await SaveAsync(admin, "PasswordReset", "de", SavedReset, version: null);
        await mailer.SendPasswordResetAsync(Recipient, new Uri("https://app.acme.test/reset?token=after"), TimeSpan.FromHours(1), CultureInfo.GetCultureInfo("de-AT"), Ct);
        await mailer.SendPasswordResetAsync(Recipient, new Uri("https://app.acme.test/reset?token=english"), TimeSpan.FromHours(1), CultureInfo.GetCultureInfo("en"), Ct);

        var mails = await _smtp.GetMessagesAsync(Ct);
        Assert.Equal(3, mails.Count);
        Assert.Equal("Passwort für Acme IoT zurücksetzen", mails[0].Message.Subject);
        Assert.Equal("CUSTOM Acme IoT: neues Passwort", mails[1].Message.Subject);
        Assert.Contains("CUSTOM-TEXT Hallo user@acme.test, öffnen Sie https://app.acme.test/reset?token=after innerhalb von 1 Stunde.", mails[1].Message.TextBody, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://app.acme.test/reset?token=after\">hier</a>", mails[1].Message.HtmlBody, StringComparison.Ordinal);
        Assert.Equal("Reset your Acme IoT password", mails[2].Message.Subject); // another culture: the built-in one
    }

    [Fact]
    public async Task Send_TwoInstancesSharingSqlite_TheSecondPicksUpSaveAndReset()
    {
        await using var database = await SharedDatabase.CreateAsync(Ct);
        await using var a = await StartHostAsync(database.Persist);
        await using var b = await StartHostAsync(database.Persist);
        using var adminA = a.CreateClient("alice");
        using var adminB = b.CreateClient("bob");
        var mailerB = b.Services.GetRequiredService<ISystemMailer>();

        var saved = await SaveAsync(adminA, "PasswordReset", "de", SavedReset, version: null);
        await mailerB.SendPasswordResetAsync(Recipient, new Uri("https://app.acme.test/reset?token=b1"), TimeSpan.FromHours(1), CultureInfo.GetCultureInfo("de"), Ct);

        // Both instances save from the same version at once: the store's compare-and-swap lets one through.
        var version = saved["version"]!.GetValue<string>();
        var answers = await Task.WhenAll(PutAsync(adminA, "PasswordReset", "de", SavedReset, version), PutAsync(adminB, "PasswordReset", "de", SavedReset, version));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], answers.Select(r => r.StatusCode).Order());
        foreach (var answer in answers)
        {
            answer.Dispose();
        }

        using var reset = await adminB.DeleteAsync(AdminHost.Url("templates/PasswordReset/de"), Ct);
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        await a.Services.GetRequiredService<ISystemMailer>().SendPasswordResetAsync(Recipient, new Uri("https://app.acme.test/reset?token=a1"), TimeSpan.FromHours(1), CultureInfo.GetCultureInfo("de"), Ct);

        var mails = await _smtp.GetMessagesAsync(Ct);
        Assert.Equal(["CUSTOM Acme IoT: neues Passwort", "Passwort für Acme IoT zurücksetzen"], mails.Select(m => m.Message.Subject));
    }

    [Fact]
    public async Task QueuePasswordReset_TemplateSavedOnAnotherInstance_QueuedMailUsesIt()
    {
        await using var database = await SharedDatabase.CreateAsync(Ct);
        await using var a = await StartHostAsync(b =>
        {
            database.Persist(b);
            b.AddOutbox<SharedDatabase.RecordsDbContext>(o => o.PollInterval = TimeSpan.FromMilliseconds(50));
        });
        await using var b = await StartHostAsync(database.Persist);
        var outbox = a.Services.GetRequiredService<ISystemMailOutbox>();
        var culture = CultureInfo.GetCultureInfo("de");

        // A has read the templates (none saved) before B saves one.
        var before = await outbox.QueuePasswordResetAsync(Recipient, new Uri("https://app.acme.test/reset?token=q1"), TimeSpan.FromHours(1), culture, cancellationToken: Ct);
        await WaitSentAsync(outbox, before);
        using var adminB = b.CreateClient("bob");
        await SaveAsync(adminB, "PasswordReset", "de", SavedReset, version: null);

        var after = await outbox.QueuePasswordResetAsync(Recipient, new Uri("https://app.acme.test/reset?token=q2"), TimeSpan.FromHours(1), culture, cancellationToken: Ct);
        await WaitSentAsync(outbox, after);

        var mails = await _smtp.GetMessagesAsync(Ct);
        Assert.Equal(["Passwort für Acme IoT zurücksetzen", "CUSTOM Acme IoT: neues Passwort"], mails.Select(m => m.Message.Subject));
        Assert.Contains("https://app.acme.test/reset?token=q2", mails[1].Message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_SavedTemplateFailingWithTheMailsValues_FallsBackCountsAndDegradesHealth()
    {
        await using var host = await StartHostAsync();
        using var admin = host.CreateClient();
        using var fallbacks = new FallbackCounter(host.Services.GetRequiredService<IMeterFactory>());
        var health = host.Services.GetRequiredService<HealthCheckService>();
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(Ct)).Status);

        // A loop as long as the link, in a loop as long as the link: fine for the preview's link, past the step limit
        // for a link of 600 characters.
        var saved = await SaveAsync(admin, "PasswordReset", "de", new
        {
            subject = "CUSTOM {{ product_name }}",
            html = "<p>{{ link }}</p>",
            text = "{% assign n = link | size %}{% for i in (1..n) %}{% for j in (1..n) %}{% endfor %}{% endfor %}CUSTOM {{ link }}",
        }, version: null);
        var link = new Uri("https://app.acme.test/reset?token=" + new string('t', 570));

        await host.Services.GetRequiredService<ISystemMailer>().SendPasswordResetAsync(Recipient, link, TimeSpan.FromHours(1), CultureInfo.GetCultureInfo("de"), Ct);

        var mail = Assert.Single(await _smtp.GetMessagesAsync(Ct));
        Assert.Equal("Passwort für Acme IoT zurücksetzen", mail.Message.Subject);
        Assert.Contains(link.AbsoluteUri, mail.Message.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("CUSTOM", mail.Message.TextBody, StringComparison.Ordinal);
        Assert.Equal(1, fallbacks.Count);
        var report = await health.CheckHealthAsync(Ct);
        Assert.Equal(HealthStatus.Degraded, report.Status);
        Assert.Contains($"The saved PasswordReset template (de, version {saved["version"]})", report.Entries["systemmail"].Description, StringComparison.Ordinal);
        Assert.DoesNotContain("token=", report.Entries["systemmail"].Description, StringComparison.Ordinal);

        // Reset: the built-in template is the one in use, and the health check is healthy again.
        using var reset = await admin.DeleteAsync(AdminHost.Url("templates/PasswordReset/de"), Ct);
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(Ct)).Status);
    }

    [Fact]
    public async Task Preview_UnsavedTemplate_RendersWithSampleValuesForASandboxedFrame()
    {
        await using var host = await StartHostAsync();
        using var admin = host.CreateClient();

        using var response = await admin.PostAsJsonAsync(AdminHost.Url("templates/VerificationCode/fr/preview"), new { subject = "Code {{ product_name }}", html = "<p>Votre code : <b>{{ code }}</b> ({{ lifetime }})</p>" }, Ct);
        var preview = await response.ReadObjectAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("sandbox", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("Code Acme IoT", preview["subject"]!.GetValue<string>());
        Assert.Contains("<p>Votre code : <b>482916</b> (15 minutes)</p>", preview["html"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("<html", preview["html"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase); // inside the layout
        Assert.Contains("482916", preview["text"]!.GetValue<string>(), StringComparison.Ordinal); // the built-in French text
        Assert.Null((await admin.GetObjectAsync("templates/VerificationCode/fr"))["saved"]);
    }

    [Fact]
    public async Task SendTest_UnsavedTemplate_DeliversToTheServerWithoutSavingIt()
    {
        await using var host = await StartHostAsync();
        using var admin = host.CreateClient();

        using var response = await admin.PostAsJsonAsync(AdminHost.Url("templates/Activation/en/test"), new
        {
            to = "admin@acme.test",
            subject = "TRIAL Welcome to {{ product_name }}",
            text = "TRIAL {{ link }} ({{ lifetime }})",
        }, Ct);
        var sent = await response.ReadObjectAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var mail = Assert.Single(await _smtp.GetMessagesAsync(Ct));
        Assert.Equal(["admin@acme.test"], mail.RcptTo);
        Assert.Equal("TRIAL Welcome to Acme IoT", mail.Message.Subject);
        Assert.Contains("TRIAL https://app.acme.test/account/activate?token=sample-activation-token (1 day)", mail.Message.TextBody, StringComparison.Ordinal);
        Assert.Equal(mail.Message.MessageId, sent["messageId"]!.GetValue<string>());
        Assert.Null((await admin.GetObjectAsync("templates/Activation/en"))["saved"]);
    }

    [Fact]
    public async Task SendTest_InvalidTemplate_Answers400AndSendsNothing()
    {
        await using var host = await StartHostAsync();
        using var admin = host.CreateClient();

        using var response = await admin.PostAsJsonAsync(AdminHost.Url("templates/Activation/en/test"), new { to = "admin@acme.test", text = "{{ nope }}" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await _smtp.GetMessagesAsync(Ct));
    }

    [Theory]
    [InlineData("templates/Welcome/en")]
    [InlineData("templates/6/en")]
    [InlineData("templates/PasswordReset/xx-nowhere")]
    public async Task Get_UnknownKindOrCulture_Answers404(string path)
    {
        await using var host = await StartHostAsync();
        using var admin = host.CreateClient();

        using var response = await admin.GetAsync(AdminHost.Url(path), Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static async Task WaitSentAsync(ISystemMailOutbox outbox, Guid id)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(15);
        while ((await outbox.GetAsync(id, Ct))?.Status is not OutboxMailStatus.Sent)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"Mail {id} was not sent.");
            await Task.Delay(50, Ct);
        }
    }

    private Task<AdminHost> StartHostAsync(Action<ISystemMailBuilder>? mail = null) =>
        AdminHost.StartAsync(
            o =>
            {
                o.Host = _smtp.Host;
                o.Port = _smtp.Port;
                o.Product.Name = "Acme IoT";
                o.Product.Url = new Uri("https://app.acme.test/");
            },
            b =>
            {
                b.AddHealthCheck();
                mail?.Invoke(b);
            },
            cancellationToken: Ct);

    private static Task<HttpResponseMessage> PutAsync(HttpClient client, string kind, string culture, object template, string? version)
    {
        var body = JsonSerializer.SerializeToNode(template, JsonSerializerOptions.Web)!.AsObject();
        body["version"] = version;
        return client.PutAsJsonAsync(AdminHost.Url($"templates/{kind}/{culture}"), body, JsonSerializerOptions.Web, Ct);
    }

    private static async Task<JsonObject> SaveAsync(HttpClient client, string kind, string culture, object template, string? version)
    {
        using var response = await PutAsync(client, kind, culture, template, version);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Save answered {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>Counts <c>systemmail.templates.fallbacks</c> of one host's meters.</summary>
    private sealed class FallbackCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _count;

        public FallbackCounter(IMeterFactory scope)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == scope && instrument.Name == "systemmail.templates.fallbacks")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, value));
            _listener.Start();
        }

        public long Count => Interlocked.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }
}
