using Microsoft.Extensions.DependencyInjection;
using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.Diagnostics;

/// <summary>The diagnostics service of a <see cref="TestMailer"/>, and provider templates pointed at a test server.</summary>
internal static class DiagnosticsTestMailer
{
    public static ISystemMailDiagnostics Diagnostics(this TestMailer mail) => mail.Services.GetRequiredService<ISystemMailDiagnostics>();

    /// <summary>
    /// SystemMail with a built-in provider's template (Google, Office 365, SendGrid) replaced by one with the same id
    /// that points at <paramref name="server"/>, so the provider's own hints apply to a real server on 127.0.0.1.
    /// </summary>
    public static TestMailer ForProvider(SmtpTestServer server, string providerId, Action<SystemMailOptions>? configure = null) =>
        TestMailer.Create(
            o =>
            {
                o.Provider = providerId;
                o.ServerCertificateValidationCallback = server.TestCertificate.Pin();
                o.Authentication = SmtpAuthenticationType.Basic;
                o.Username = providerId == SmtpProviderTemplates.SendGridId ? "apikey" : BasicAuthSmtpServerFixture.User;
                o.Password = BasicAuthSmtpServerFixture.Password;
                configure?.Invoke(o);
            },
            services => services.AddSingleton<ISmtpProviderTemplate>(new SmtpProviderTemplate
            {
                Id = providerId,
                DisplayName = providerId + " (test server)",
                Host = server.Host,
                Port = server.Port,
                Security = server.Options.ImplicitTls ? SmtpSecurity.SslOnConnect : SmtpSecurity.StartTls,
                SupportedAuthentication = [SmtpAuthenticationType.None, SmtpAuthenticationType.Basic, SmtpAuthenticationType.OAuth2],
                FixedUsername = providerId == SmtpProviderTemplates.SendGridId ? "apikey" : null,
            }));
}
