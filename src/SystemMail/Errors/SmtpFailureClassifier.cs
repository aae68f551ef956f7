using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace SystemMail;

/// <summary>Turns what MailKit, sockets and TLS throw into one <see cref="SystemMailException"/> with a kind and a hint.</summary>
/// <remarks>
/// It only dispatches: a failure before the proxy's tunnel stood goes to <see cref="ProxyFailureClassifier"/>, what the
/// server answered or offered to <see cref="SmtpReplyClassifier"/>, a failed or missing TLS to
/// <see cref="TlsFailureClassifier"/>, and the rest (timeouts, sockets, lost connections) to
/// <see cref="ConnectionFailureClassifier"/>.
/// </remarks>
internal static class SmtpFailureClassifier
{
    /// <param name="exception">What MailKit, a socket or TLS threw.</param>
    /// <param name="stage">Where in the conversation it happened.</param>
    /// <param name="settings">The settings the connection was opened with.</param>
    /// <param name="observedReply">The server's last error reply when the caller saw it (a protocol log), for exceptions that lost it.</param>
    public static SystemMailException Classify(Exception exception, SmtpStage stage, SmtpSettings settings, SmtpServerReply? observedReply = null) => exception switch
    {
        SystemMailException already => already,
        _ when stage == SmtpStage.Proxy && settings.Proxy is { } proxy => ProxyFailureClassifier.Classify(exception, proxy, settings),
        AuthenticationException auth => SmtpReplyClassifier.ClassifyAuthentication(auth, settings, observedReply),
        SmtpCommandException command => SmtpReplyClassifier.ClassifyCommand(command, settings),
        ServiceNotAuthenticatedException notAuthenticated => SmtpReplyClassifier.ClassifyNotAuthenticated(notAuthenticated, settings),
        NotSupportedException when stage == SmtpStage.Authenticate => SmtpReplyClassifier.ClassifyAuthNotOffered(exception, settings),
        NotSupportedException when SmtpFailure.IsConnecting(stage) => TlsFailureClassifier.ClassifyStartTlsNotOffered(exception, settings),
        SslHandshakeException or System.Security.Authentication.AuthenticationException => TlsFailureClassifier.ClassifyHandshake(exception, settings),
        _ => ConnectionFailureClassifier.Classify(exception, stage, settings),
    };

    /// <summary>Whether a failure on a reused pooled connection means the server had closed it while idle.</summary>
    /// <remarks>
    /// A 421 is the server closing the channel (RFC 5321, 3.8), whatever its text: Postfix says "timeout exceeded",
    /// Office 365 "Connection timed out", others "shutting down". Nothing of the mail was accepted, so sending it
    /// once on a new connection cannot deliver it twice.
    /// </remarks>
    public static bool IsDroppedConnection(Exception exception) =>
        exception is IOException or SmtpProtocolException or ServiceNotConnectedException
            or SmtpCommandException { StatusCode: SmtpStatusCode.ServiceNotAvailable };
}
