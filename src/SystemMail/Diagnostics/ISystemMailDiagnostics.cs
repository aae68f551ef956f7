using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace SystemMail;

/// <summary>
/// "Test connection" and "Send test email" for a settings page: each runs the SMTP conversation stage by stage on a
/// connection of its own and returns a <see cref="SmtpDiagnosticReport"/> that says which stage failed, what the
/// server answered and what to do, instead of throwing.
/// </summary>
/// <remarks>
/// <para>The tests run with the saved settings, or with an unsaved change from the settings form ("test before save"),
/// built by the options system like the saved settings and checked by the same validators. The change starts with
/// the secrets (<see cref="SystemMailOptions.Password"/>, <see cref="SmtpOAuthOptions.ClientSecret"/>,
/// <see cref="SmtpProxyOptions.Password"/>) blank; one it leaves blank is the stored one only when the destination is
/// unchanged: provider, host, port, security, proxy, user name and, with OAuth2, the client. Otherwise the test stops
/// at <see cref="SmtpDiagnosticStage.Settings"/> without a connection, and the secret must be entered again. With
/// OAuth2, an unsaved test runs only for the saved destination, whose tokens it uses. A server or proxy of the
/// unsaved change (or of settings saved on the settings page) that resolves to this machine, a link-local, metadata,
/// unspecified or multicast address stops at <see cref="SmtpDiagnosticStage.Settings"/> without a connection unless
/// <see cref="SystemMailOptions.AllowedDestinations"/> allows it.</para>
/// <para>A test never uses or disturbs the pooled connections that send mail, and never changes stored OAuth2
/// tokens of settings other than the saved ones.</para>
/// <para>Hints come in ten languages: English, Simplified and Traditional Chinese, Japanese, Korean, German, French,
/// Spanish, Brazilian Portuguese and Russian, with culture fallback (zh-TW gets zh-Hant, pt gets pt-BR); any other
/// culture gets English.</para>
/// </remarks>
[SuppressMessage(
    "ApiDesign",
    "RS0026:Do not add multiple public overloads with optional parameters",
    Justification = "Each pair differs in a required parameter (the unsaved change), and the optional culture and token sit last in both, as in the mailer.")]
public interface ISystemMailDiagnostics
{
    /// <summary>Connects with the saved settings, secures, authenticates and quits without sending.</summary>
    /// <param name="culture">The language of the hint; <see cref="CultureInfo.CurrentUICulture"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">A token that cancels the test.</param>
    /// <returns>The report; <see cref="SmtpDiagnosticReport.Succeeded"/> says whether every stage passed.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<SmtpDiagnosticReport> TestConnectionAsync(CultureInfo? culture = null, CancellationToken cancellationToken = default);

    /// <summary>Connects with unsaved settings, secures, authenticates and quits without sending.</summary>
    /// <param name="settings">The unsaved change, laid over the current settings, such as the values of a settings form.</param>
    /// <param name="culture">The language of the hint; <see cref="CultureInfo.CurrentUICulture"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">A token that cancels the test.</param>
    /// <returns>The report; invalid settings fail the <see cref="SmtpDiagnosticStage.Settings"/> stage.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="settings"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<SmtpDiagnosticReport> TestConnectionAsync(Action<SystemMailOptions> settings, CultureInfo? culture = null, CancellationToken cancellationToken = default);

    /// <summary>Sends the test mail with the saved settings and reports every stage up to the server accepting it.</summary>
    /// <param name="recipient">The recipient's bare address, such as <c>name@example.com</c>.</param>
    /// <param name="culture">The language of the mail and the hint; <see cref="CultureInfo.CurrentUICulture"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">A token that cancels the test.</param>
    /// <returns>The report, with <see cref="SmtpDiagnosticReport.MessageId"/> when the server accepted the mail.</returns>
    /// <exception cref="ArgumentException"><paramref name="recipient"/> is not a valid address.</exception>
    /// <exception cref="SystemMailException"><paramref name="recipient"/> is not bare, too long or holds a character that changes the text direction (<see cref="SystemMailErrorKind.InvalidRecipient"/>).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<SmtpDiagnosticReport> SendTestMailAsync(string recipient, CultureInfo? culture = null, CancellationToken cancellationToken = default);

    /// <summary>Sends the test mail with unsaved settings and reports every stage up to the server accepting it.</summary>
    /// <param name="recipient">The recipient's bare address, such as <c>name@example.com</c>.</param>
    /// <param name="settings">The unsaved change, laid over the current settings, such as the values of a settings form.</param>
    /// <param name="culture">The language of the mail and the hint; <see cref="CultureInfo.CurrentUICulture"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">A token that cancels the test.</param>
    /// <returns>The report; invalid settings fail the <see cref="SmtpDiagnosticStage.Settings"/> stage.</returns>
    /// <exception cref="ArgumentException"><paramref name="recipient"/> is not a valid address.</exception>
    /// <exception cref="SystemMailException"><paramref name="recipient"/> is not bare, too long or holds a character that changes the text direction (<see cref="SystemMailErrorKind.InvalidRecipient"/>).</exception>
    /// <exception cref="ArgumentNullException"><paramref name="settings"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<SmtpDiagnosticReport> SendTestMailAsync(string recipient, Action<SystemMailOptions> settings, CultureInfo? culture = null, CancellationToken cancellationToken = default);
}
