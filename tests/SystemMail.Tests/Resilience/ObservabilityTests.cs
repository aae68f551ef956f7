using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.Resilience;

/// <summary>The <c>SystemMail</c> meter and activity source, read with the BCL's listeners, as a dashboard would.</summary>
public sealed class ObservabilityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SendAsync_SentAndFailedMails_CountedByKindWithDurations()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { AuthOptional = true }, Ct);
        await server.SetBehaviourAsync(new SmtpTestServerBehaviour { RejectRecipients = [new SmtpTestRecipientRule("nobody@acme.test", 550, "5.1.1 User unknown")] }, Ct);
        await using var mail = TestMailer.For(server, o => o.Authentication = SmtpAuthenticationType.None, services => services.AddMetrics());
        var meters = mail.Services.GetRequiredService<IMeterFactory>();
        using var sent = new MetricCollector<long>(meters, "SystemMail", "systemmail.mails.sent");
        using var failed = new MetricCollector<long>(meters, "SystemMail", "systemmail.mails.failed");
        using var duration = new MetricCollector<double>(meters, "SystemMail", "systemmail.send.duration");
        using var inUse = new MetricCollector<long>(meters, "SystemMail", "systemmail.pool.connections.in_use");

        await mail.Mailer.SendTestMailAsync("admin@acme.test", cancellationToken: Ct);
        await mail.Mailer.SendPasswordResetAsync("user@acme.test", new Uri("https://portal.acme.test/r"), TimeSpan.FromMinutes(30), cancellationToken: Ct);
        await Assert.ThrowsAsync<SystemMailException>(() => mail.Mailer.SendTestMailAsync("nobody@acme.test", cancellationToken: Ct));

        Assert.Equal(2, sent.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(["Test", "PasswordReset"], sent.GetMeasurementSnapshot().Select(m => (string)m.Tags["systemmail.mail.kind"]!));
        var failure = Assert.Single(failed.GetMeasurementSnapshot());
        Assert.Equal("RecipientRejected", failure.Tags["error.type"]);
        Assert.Equal(server.Host, failure.Tags["server.address"]);
        Assert.Equal(3, duration.GetMeasurementSnapshot().Count);
        Assert.All(duration.GetMeasurementSnapshot(), m => Assert.InRange(m.Value, 0, 10));
        Assert.Equal(0, inUse.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(3, inUse.GetMeasurementSnapshot().Count(m => m.Value == 1));
    }

    [Fact]
    public async Task SendAsync_WithListener_SendSpanIsTheParentOfMailKitsSmtpSpans()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { AuthOptional = true }, Ct);
        await using var mail = TestMailer.For(server, o => o.Authentication = SmtpAuthenticationType.None);
        var stopped = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "SystemMail" or "MailKit.Net.SmtpClient",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Add,
        };
        ActivitySource.AddActivityListener(listener);
        using var root = new ActivitySource("SystemMail.Tests").StartActivity("test") ?? new Activity("test").Start();

        await mail.Mailer.SendTestMailAsync("admin@acme.test", cancellationToken: Ct);

        var mine = stopped.Where(a => a.TraceId == root.TraceId).ToList();
        var send = Assert.Single(mine, a => a.Source.Name == "SystemMail");
        Assert.Equal("send Test", send.DisplayName);
        Assert.Equal(ActivityKind.Client, send.Kind);
        Assert.Equal(server.Host, send.GetTagItem("server.address"));
        Assert.Equal(server.Port, send.GetTagItem("server.port"));
        var smtp = mine.Where(a => a.Source.Name == "MailKit.Net.SmtpClient").ToList();
        Assert.NotEmpty(smtp);
        Assert.All(smtp, a => Assert.Equal(send.SpanId, a.ParentSpanId));
    }

    [Fact]
    public async Task SendAsync_Fails_SpanCarriesErrorType()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Users = new Dictionary<string, string> { ["u"] = "right" } }, Ct);
        await using var mail = TestMailer.For(server, o =>
        {
            o.Authentication = SmtpAuthenticationType.Basic;
            o.Username = "u";
            o.Password = "wrong";
        });
        var stopped = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "SystemMail",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Add,
        };
        ActivitySource.AddActivityListener(listener);
        using var root = new Activity("test").Start();

        await Assert.ThrowsAsync<SystemMailException>(() => mail.Mailer.SendTestMailAsync("admin@acme.test", cancellationToken: Ct));

        var send = Assert.Single(stopped, a => a.TraceId == root.TraceId);
        Assert.Equal(ActivityStatusCode.Error, send.Status);
        Assert.Equal("Authentication", send.GetTagItem("error.type"));
    }
}
