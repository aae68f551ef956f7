using System.ComponentModel.DataAnnotations;
using System.Net.Security;
using System.Security.Authentication;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace SystemMail;

/// <summary>
/// The system mail server's settings, as an administrator's "Mail server" page holds them: the sender, the provider
/// template, the connection, the authentication and what the mails say about the product.
/// </summary>
/// <remarks>
/// Bound from the <c>SystemMail</c> configuration section by
/// <c>services.AddSystemMail(configuration)</c>, validated at start-up and read through
/// <see cref="Microsoft.Extensions.Options.IOptionsMonitor{TOptions}"/>, so a change applies to the next mail.
/// A built-in provider template owns <see cref="Host"/>, <see cref="Port"/>, <see cref="Security"/> and
/// <see cref="MinimumTlsVersion"/>: to set them, choose the <c>custom</c> provider.
/// The attributes state the range or presence of each single setting; the rules across settings and against the
/// provider template are written by hand. Both are checked at start-up and their failures reported together.
/// </remarks>
public sealed class SystemMailOptions
{
    /// <summary>The configuration section bound by default: <c>"SystemMail"</c>.</summary>
    public const string DefaultSectionName = "SystemMail";

    /// <summary>Gets or sets the sender, an address with an optional display name, such as <c>"Acme &lt;no-reply@acme.com&gt;"</c>.</summary>
    [Required(ErrorMessage = "The field {0} is required: the sender's address, such as 'Acme <no-reply@acme.com>'.")]
    public string? From { get; set; }

    /// <summary>Gets or sets the provider template id: <c>google</c>, <c>office365</c>, <c>sendgrid</c>, <c>custom</c> or a host's own. Defaults to <c>custom</c>.</summary>
    public string Provider { get; set; } = SmtpProviderTemplates.CustomId;

    /// <summary>Gets or sets the SMTP server's host name or IP address, bare: no user, password, scheme, port or path (<c>custom</c> provider only).</summary>
    public string? Host { get; set; }

    /// <summary>Gets or sets the SMTP server's port (<c>custom</c> provider only).</summary>
    [Range(1, 65535)]
    public int? Port { get; set; }

    /// <summary>
    /// Gets or sets how the connection is secured (<c>custom</c> provider only). When not set, port 465 means
    /// <see cref="SmtpSecurity.SslOnConnect"/> and any other port <see cref="SmtpSecurity.StartTls"/>.
    /// </summary>
    public SmtpSecurity? Security { get; set; }

    /// <summary>
    /// Gets or sets whether a Basic password or an OAuth2 token may be sent unencrypted (<see cref="Security"/>
    /// <see cref="SmtpSecurity.None"/>) to a server that is not on this machine. Defaults to <see langword="false"/>:
    /// such settings are refused at start-up and on save; only <c>localhost</c> and loopback addresses are exempt.
    /// </summary>
    /// <remarks>
    /// For a relay on a network the host trusts. A host setting, from configuration or code: saved settings do not
    /// change it. While settings that use it are in effect, a warning is logged (event id 1400) at start and after
    /// each change.
    /// </remarks>
    public bool AllowInsecureAuthentication { get; set; }

    /// <summary>
    /// Gets or sets the Microsoft Graph service root for a provider whose transport is
    /// <see cref="MailTransport.MicrosoftGraph"/> (<c>office365-graph</c>), such as <c>https://graph.microsoft.us</c> for a
    /// national cloud. Defaults to <c>https://graph.microsoft.com</c>. Must be https (http only on this machine), without
    /// user, query or fragment. Ignored by SMTP providers.
    /// </summary>
    public Uri? GraphBaseUrl { get; set; }

    /// <summary>Gets or sets the oldest TLS version accepted (<c>custom</c> provider only). Defaults to TLS 1.2.</summary>
    public SslProtocols? MinimumTlsVersion { get; set; }

    /// <summary>Gets or sets how long one connect, command or send may take before it fails with a timeout, at most 10 minutes. Defaults to 30 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", MinimumIsExclusive = true)]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets how long the server may take to send its greeting (the first reply, after the TLS handshake with
    /// implicit TLS) once the connection stands, at most 10 minutes; never longer than <see cref="Timeout"/>. Defaults to 10 seconds.
    /// </summary>
    /// <remarks>
    /// A port that speaks implicit TLS and is asked for STARTTLS, or a service that waits for the client to speak first,
    /// never greets: this limit reports it (with the hint for an implicit-TLS port when the port is 465 or answers TLS)
    /// long before the whole <see cref="Timeout"/> would.
    /// </remarks>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", MinimumIsExclusive = true)]
    public TimeSpan GreetingTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gets or sets the destinations that settings from the settings page may reach although they are on this machine,
    /// link-local, a cloud metadata address, unspecified or multicast: patterns <c>host:port</c>, such as
    /// <c>localhost:25</c>, <c>127.0.0.1:*</c>, <c>[::1]:2525</c> or <c>10.0.0.0/8:587</c> (port <c>*</c> for any).
    /// </summary>
    /// <remarks>
    /// <para>Settings saved on the settings page, and unsaved settings under test, are checked after DNS on every
    /// connection (the pool's too) to the SMTP server, the proxy and the OAuth2 token endpoint, and their OAuth2
    /// endpoints when they are plain http: such destinations are refused with the hint <c>DestinationNotAllowed</c>
    /// before any connection, unless listed here. Settings in the host's configuration or code are not checked.</para>
    /// <para>A host name pattern (<c>localhost:25</c>) allows that name, whatever it resolves to; an address or
    /// network pattern (<c>127.0.0.1:*</c>, <c>[fe80::/10]:25</c>) allows the addresses it covers, whatever name
    /// leads there. A host setting, from configuration or code: saved settings and unsaved forms cannot change it.</para>
    /// </remarks>
    public IList<string> AllowedDestinations { get; set; } = [];

    /// <summary>Gets or sets how SystemMail authenticates. Defaults to <see cref="SmtpAuthenticationType.None"/>.</summary>
    public SmtpAuthenticationType Authentication { get; set; } = SmtpAuthenticationType.None;

    /// <summary>Gets or sets the user name: the mailbox address for Google and Office 365, <c>apikey</c> for SendGrid.</summary>
    public string? Username { get; set; }

    /// <summary>Gets or sets the password, app password or API key for Basic authentication. Never logged, shown or serialized to JSON.</summary>
    [JsonIgnore]
    public string? Password { get; set; }

    /// <summary>Gets or sets the OAuth2 settings, used when <see cref="Authentication"/> is <see cref="SmtpAuthenticationType.OAuth2"/>.</summary>
    [ValidateObjectMembers]
    public SmtpOAuthOptions OAuth2 { get; set; } = new();

    /// <summary>Gets or sets the proxy the connection goes through, if any.</summary>
    [ValidateObjectMembers]
    public SmtpProxyOptions? Proxy { get; set; }

    /// <summary>Gets or sets the product name and links the mails show.</summary>
    [ValidateObjectMembers]
    public SystemMailProductOptions Product { get; set; } = new();

    /// <summary>Gets or sets how transient failures are retried.</summary>
    [ValidateObjectMembers]
    public SmtpRetryOptions Retry { get; set; } = new();

    /// <summary>Gets or sets how sends are paced to the provider's sending limit.</summary>
    [ValidateObjectMembers]
    public SmtpRateLimitOptions RateLimit { get; set; } = new();

    /// <summary>Gets or sets how many mails that anyone can request (password reset, activation, codes) one recipient gets per window.</summary>
    [ValidateObjectMembers]
    public SystemMailRecipientLimitOptions RecipientLimit { get; set; } = new();

    /// <summary>Gets or sets how many authenticated connections are kept open and used at once, from 1 to 100. Defaults to 2.</summary>
    [Range(1, 100)]
    public int PoolSize { get; set; } = 2;

    /// <summary>Gets or sets how long an idle pooled connection is kept before it is closed, at most 1 day. Defaults to 60 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", MinimumIsExclusive = true)]
    public TimeSpan ConnectionIdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets the name sent in <c>EHLO</c>. Defaults to the machine's name.</summary>
    public string? LocalDomain { get; set; }

    /// <summary>Gets or sets whether the server certificate's revocation is checked. Defaults to <see langword="true"/>.</summary>
    public bool CheckCertificateRevocation { get; set; } = true;

    /// <summary>
    /// Gets or sets a callback that validates the server certificate instead of the platform's default
    /// validation, for a server with a private certificate authority. Set in code, not bound from configuration.
    /// </summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidationCallback { get; set; }

    /// <summary>
    /// Gets or sets where the host's configuration pointed before settings from the settings page were laid over it;
    /// <see langword="null"/> when none were (see <see cref="SystemMail.OperatorDestinations"/>).
    /// </summary>
    internal OperatorDestinations? OperatorDestinations { get; set; }

    /// <summary>Returns a description of the settings that never contains a secret.</summary>
    /// <returns>
    /// The provider, endpoint, authentication type and user name; secrets appear only as "set" or "not set", and a host
    /// that is not a bare host name or IP address (such as <c>user:password@host</c>) as <c>(invalid host)</c>.
    /// </returns>
    public override string ToString() =>
        $"SystemMail {{ Provider = {Provider}, From = {From}, Host = {HostNames.Display(Host)}, Port = {Port}, Security = {Security}, " +
        $"Authentication = {Authentication}, Username = {Username}, Password = {(string.IsNullOrEmpty(Password) ? "not set" : "set")}" +
        $"{(Authentication == SmtpAuthenticationType.OAuth2 ? ", " + OAuth2 : string.Empty)}" +
        $"{(Proxy is null ? string.Empty : ", Proxy = " + Proxy)} }}";
}
