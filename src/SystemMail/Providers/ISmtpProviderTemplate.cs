using System.Security.Authentication;

namespace SystemMail;

/// <summary>
/// A provider template: the connection settings, authentication types and OAuth2 endpoints of one mail
/// provider, so the administrator only picks the provider and types credentials.
/// </summary>
/// <remarks>
/// Built-ins are in <see cref="SmtpProviderTemplates"/>. A host adds its own with
/// <c>builder.AddProviderTemplate&lt;T&gt;()</c>; one with the id of a built-in replaces it.
/// </remarks>
public interface ISmtpProviderTemplate
{
    /// <summary>Gets the id selected by <see cref="SystemMailOptions.Provider"/>, such as <c>google</c>. Compared ignoring case.</summary>
    string Id { get; }

    /// <summary>Gets the name shown in a settings page's drop-down, such as <c>Google</c>.</summary>
    string DisplayName { get; }

    /// <summary>
    /// Gets whether the user sets host, port and security (as with <c>custom</c>). When <see langword="false"/>,
    /// the template owns them and a different value in the options is a validation error.
    /// </summary>
    bool AllowsCustomConnection { get; }

    /// <summary>Gets the SMTP host, or <see langword="null"/> when the user sets it.</summary>
    string? Host { get; }

    /// <summary>Gets the SMTP port, or <see langword="null"/> when the user sets it.</summary>
    int? Port { get; }

    /// <summary>Gets how the connection is secured, or <see langword="null"/> when the user sets it.</summary>
    SmtpSecurity? Security { get; }

    /// <summary>Gets the oldest TLS version the template accepts.</summary>
    SslProtocols MinimumTlsVersion { get; }

    /// <summary>Gets the authentication types the provider supports.</summary>
    IReadOnlyList<SmtpAuthenticationType> SupportedAuthentication { get; }

    /// <summary>Gets the user name the provider requires (SendGrid: <c>apikey</c>), or <see langword="null"/>.</summary>
    string? FixedUsername { get; }

    /// <summary>Gets the provider's OAuth2 endpoints and scopes, or <see langword="null"/> when it has none or the user sets them.</summary>
    SmtpOAuthMetadata? OAuth2 { get; }

    /// <summary>Gets a page that explains how to set the provider up, or <see langword="null"/>.</summary>
    Uri? HelpLink { get; }

    /// <summary>Gets the provider's documented sending limit, or <see langword="null"/> when it depends on the account (SendGrid's plans).</summary>
    SmtpSendingLimit? SendingLimit => null;

    /// <summary>
    /// Gets how the mail leaves: <see cref="MailTransport.Smtp"/> (the default) or <see cref="MailTransport.MicrosoftGraph"/>,
    /// whose <see cref="Host"/> and <see cref="Port"/> are those of <see cref="SystemMailOptions.GraphBaseUrl"/>.
    /// </summary>
    MailTransport Transport => MailTransport.Smtp;
}
