using System.Security.Authentication;

namespace SystemMail;

/// <summary>A provider template described by its values, for the built-ins and for a host's own providers.</summary>
/// <example>
/// <code>
/// builder.AddProviderTemplate(new SmtpProviderTemplate
/// {
///     Id = "mailgun", DisplayName = "Mailgun", Host = "smtp.mailgun.org", Port = 587,
///     Security = SmtpSecurity.StartTls, SupportedAuthentication = [SmtpAuthenticationType.Basic],
/// });
/// </code>
/// </example>
public sealed class SmtpProviderTemplate : ISmtpProviderTemplate
{
    /// <inheritdoc />
    public required string Id { get; init; }

    /// <inheritdoc />
    public required string DisplayName { get; init; }

    /// <inheritdoc />
    public bool AllowsCustomConnection { get; init; }

    /// <inheritdoc />
    public string? Host { get; init; }

    /// <inheritdoc />
    public int? Port { get; init; }

    /// <inheritdoc />
    public SmtpSecurity? Security { get; init; }

    /// <inheritdoc />
    public SslProtocols MinimumTlsVersion { get; init; } = SslProtocols.Tls12;

    /// <inheritdoc />
    public IReadOnlyList<SmtpAuthenticationType> SupportedAuthentication { get; init; } = [SmtpAuthenticationType.Basic];

    /// <inheritdoc />
    public string? FixedUsername { get; init; }

    /// <inheritdoc />
    public SmtpOAuthMetadata? OAuth2 { get; init; }

    /// <inheritdoc />
    public Uri? HelpLink { get; init; }

    /// <inheritdoc />
    public SmtpSendingLimit? SendingLimit { get; init; }

    /// <inheritdoc />
    public MailTransport Transport { get; init; }

    /// <summary>Returns the template's id and endpoint.</summary>
    /// <returns>A short description such as <c>google (smtp.gmail.com:465, SslOnConnect)</c>.</returns>
    public override string ToString() =>
        AllowsCustomConnection ? $"{Id} (user-defined connection)" : $"{Id} ({Host}:{Port}, {Security})";
}
