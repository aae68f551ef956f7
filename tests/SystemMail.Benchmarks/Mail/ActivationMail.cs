using System.Globalization;
using System.Net.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MimeKit;
using SystemMail.Benchmarks.Server;

namespace SystemMail.Benchmarks.Mail;

/// <summary>
/// The one mail every scenario sends: an English activation mail with a link valid for 24 hours. Raw MailKit
/// sends the very message SystemMail builds (same renderer, same MIME structure), built by the code below.
/// </summary>
internal static class ActivationMail
{
    public const string From = "Acme IoT <no-reply@systemmail.test>";
    public const string Recipient = "new.user@systemmail.test";
    public const string LocalDomain = "bench.systemmail.test";
    public static readonly Uri Link = new("https://iot.systemmail.test/activate?token=3q2-7WxYk9Lm0Pz1Rt4Uv6");
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);
    public static readonly CultureInfo Culture = CultureInfo.GetCultureInfo("en");
    public static readonly MailboxAddress Sender = MailboxAddress.Parse(From);

    public static SystemMailProductOptions Product { get; } = new() { Name = "Acme IoT", Url = new Uri("https://iot.systemmail.test/") };

    /// <summary>The values <c>SendActivationAsync</c> gives the templates.</summary>
    public static Dictionary<string, string> Values() => new(StringComparer.Ordinal)
    {
        ["product_name"] = Product.Name,
        ["product_url"] = Product.Url?.AbsoluteUri ?? string.Empty,
        ["support_address"] = Product.SupportAddress ?? string.Empty,
        ["recipient"] = Recipient,
        ["link"] = Link.AbsoluteUri,
        ["lifetime"] = DurationText.Format(Lifetime, Culture),
        ["lifetime_minutes"] = ((long)Math.Ceiling(Lifetime.TotalMinutes)).ToString(CultureInfo.InvariantCulture),
    };

    public static MailTemplateRenderer CreateRenderer() => new(Options.Create(new MailTemplateOptions()));

    public static RenderedMail Render(MailTemplateRenderer renderer) => renderer.Render(SystemMailKind.Activation, Culture, Values());

    /// <summary>Builds the message with SystemMail's own builder, as <c>SendActivationAsync</c> does.</summary>
    /// <remarks>
    /// The recipient is parsed for each message, as the mailer does: a MimeKit address list subscribes to its
    /// addresses' changes, so one shared recipient would keep every message it was ever added to alive.
    /// </remarks>
    public static MimeMessage Build(RenderedMail rendered) => SystemMailMessage.Create(rendered, Sender, MailboxAddress.Parse(Recipient), DateTimeOffset.UtcNow);

    /// <summary>Sends <paramref name="mails"/> of the mail through <paramref name="mailer"/> from <paramref name="callers"/> concurrent callers, each taking the next until all are sent.</summary>
    public static async Task SendConcurrentlyAsync(ISystemMailer mailer, int mails, int callers, CancellationToken cancellationToken)
    {
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(
            async () =>
            {
                while (Interlocked.Increment(ref next) <= mails)
                {
                    await mailer.SendActivationAsync(Recipient, Link, Lifetime, Culture, cancellationToken).ConfigureAwait(false);
                }
            },
            cancellationToken))).ConfigureAwait(false);
    }

    /// <summary>Registers SystemMail against the benchmark server, as a host would with the <c>custom</c> provider.</summary>
    public static ServiceProvider CreateMailer(string host, int port, RemoteCertificateValidationCallback pin, int poolSize, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSystemMail(o =>
        {
            o.From = From;
            o.Provider = "custom";
            o.Host = host;
            o.Port = port;
            o.Security = SmtpSecurity.StartTls;
            o.Authentication = SmtpAuthenticationType.Basic;
            o.Username = BenchmarkSmtpServer.User;
            o.Password = BenchmarkSmtpServer.Password;
            o.PoolSize = poolSize;
            o.LocalDomain = LocalDomain;
            o.Product = Product;
            o.RecipientLimit.Enabled = false; // every scenario mails one recipient, thousands of times
            o.CheckCertificateRevocation = false;
            o.ServerCertificateValidationCallback = pin;
        });
        configure?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }
}
