using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using SystemMail.AdminSample;
using SystemMail.AspNetCore.Tests.Browser;

namespace SystemMail.AspNetCore.Tests.Identity;

/// <summary>
/// Password-reset poisoning against the admin sample over real HTTP: a forgot-password request with a forged
/// <c>Host</c> header mails no link to the forged host, whether the sample's AllowedHosts stops it or, with host
/// filtering off, SystemMail's link check does; the same request with the site's host delivers.
/// </summary>
public sealed partial class ForgedHostTests
{
    private const string Email = "operator@acme.test";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ForgotPassword_ForgedHostAsShipped_RefusedByAllowedHostsAndNoMailSent()
    {
        await using var site = await Site.StartAsync([]);

        using var response = await site.ForgotPasswordAsync("evil.example");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(site.Inbox.Messages);
        Assert.Empty(await site.Outbox.ListAsync(OutboxMailStatus.Pending, cancellationToken: Ct));
    }

    [Fact]
    public async Task ForgotPassword_ForgedHostWithHostFilteringOff_AnsweredAsSentAndNoMailSent()
    {
        // A host that forgot AllowedHosts: the reset link is built from the forged Host header.
        await using var site = await Site.StartAsync(["--AllowedHosts", "*"]);

        using var response = await site.ForgotPasswordAsync("evil.example");

        // The page answers as for a sent mail (as for an unknown address): nothing tells the requester what happened.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("id=\"reset-sent\"", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        // The sample queues Identity's mails: the link check refused this one before it reached the outbox.
        Assert.Empty(await site.Outbox.ListAsync(OutboxMailStatus.Pending, cancellationToken: Ct));
        Assert.Empty(await site.Outbox.ListAsync(OutboxMailStatus.Sent, cancellationToken: Ct));
        Assert.Empty(site.Inbox.Messages);
    }

    [Fact]
    public async Task ForgotPassword_SitesOwnHost_ResetMailWithTheSitesLinkArrives()
    {
        await using var site = await Site.StartAsync(["--AllowedHosts", "*"]);

        using var response = await site.ForgotPasswordAsync(host: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The sample queues Identity's mails: the outbox's dispatcher delivers this one in the background.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (site.Inbox.Messages.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, Ct);
        }

        var mail = Assert.Single(site.Inbox.Messages);
        Assert.Contains(Email, mail.To, StringComparison.Ordinal);
        var link = ResetLink().Match(mail.Message.TextBody!).Value;
        Assert.StartsWith(site.Address.AbsoluteUri + "Account/ResetPassword?", link, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"http://\S+/Account/ResetPassword\?\S+")]
    private static partial Regex ResetLink();

    /// <summary>The sample on a free port, an operator's confirmed account, and a client without cookies of a browser's.</summary>
    private sealed partial class Site : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly DirectoryInfo _data;
        private readonly HttpClient _http;

        private Site(WebApplication app, DirectoryInfo data)
        {
            _app = app;
            _data = data;
            Address = new Uri(app.Urls.Single());
            _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false, CookieContainer = new CookieContainer() }) { BaseAddress = Address };
        }

        public Uri Address { get; }

        public LocalInbox Inbox => _app.Services.GetRequiredService<LocalInbox>();

        public ISystemMailOutbox Outbox => _app.Services.GetRequiredService<ISystemMailOutbox>();

        public static async Task<Site> StartAsync(string[] arguments)
        {
            var data = Directory.CreateTempSubdirectory("systemmail-forgedhost-");
            var app = await SampleSite.StartSiteAsync(data, arguments);
            await using (var scope = app.Services.CreateAsyncScope())
            {
                var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
                var user = new IdentityUser { UserName = Email, Email = Email, EmailConfirmed = true };
                Assert.True((await users.CreateAsync(user, "Operator-1!")).Succeeded);
            }

            return new Site(app, data);
        }

        /// <summary>Asks for a reset link as a browser would (the form, then its POST with the antiforgery token), with <paramref name="host"/> as the Host header.</summary>
        public async Task<HttpResponseMessage> ForgotPasswordAsync(string? host)
        {
            using var form = new HttpRequestMessage(HttpMethod.Get, "/Account/ForgotPassword");
            form.Headers.Host = host;
            using var page = await _http.SendAsync(form, Ct);
            if (page.StatusCode != HttpStatusCode.OK)
            {
                return new HttpResponseMessage(page.StatusCode);
            }

            var token = AntiforgeryToken().Match(await page.Content.ReadAsStringAsync(Ct)).Groups["token"].Value;
            var post = new HttpRequestMessage(HttpMethod.Post, "/Account/ForgotPassword")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Email"] = Email, ["__RequestVerificationToken"] = token }),
            };
            post.Headers.Host = host;
            return await _http.SendAsync(post, Ct);
        }

        public async ValueTask DisposeAsync()
        {
            _http.Dispose();
            await SampleSite.StopSiteAsync(_app, _data);
        }

        [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"(?<token>[^\"]+)\"")]
        private static partial Regex AntiforgeryToken();
    }
}
