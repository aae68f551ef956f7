using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using static SystemMail.SmtpFailure;

namespace SystemMail;

/// <summary>Classifies a connection to the SMTP server that could not be opened or was lost: timeouts, socket errors, I/O.</summary>
internal static class ConnectionFailureClassifier
{
    public static SystemMailException Classify(Exception exception, SmtpStage stage, SmtpSettings settings)
    {
        var endpoint = settings.Endpoint;
        if (exception is TimeoutException or OperationCanceledException)
        {
            return IsConnecting(stage)
                ? Create(SystemMailErrorKind.Timeout, $"Connecting to {endpoint} timed out after {settings.Timeout.TotalSeconds:0.#} s", Hints.ConnectTimeout(endpoint), default, exception)
                : Create(SystemMailErrorKind.Timeout, $"The server at {endpoint} did not answer within {settings.Timeout.TotalSeconds:0.#} s", Hints.CommandTimeout(endpoint), default, exception);
        }

        if (Find<SocketException>(exception) is { } socket)
        {
            return socket.SocketErrorCode switch
            {
                SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData =>
                    Create(SystemMailErrorKind.Connection, $"The SMTP host '{settings.Host}' was not found", Hints.HostNotFound(settings.Host), default, exception),
                SocketError.ConnectionRefused =>
                    Create(SystemMailErrorKind.Connection, $"The connection to {endpoint} was refused", Hints.ConnectionRefused(endpoint), default, exception),
                SocketError.TimedOut =>
                    Create(SystemMailErrorKind.Timeout, $"Connecting to {endpoint} timed out", Hints.ConnectTimeout(endpoint), default, exception),
                _ => Create(SystemMailErrorKind.Connection, $"The connection to {endpoint} failed ({socket.SocketErrorCode})", Hints.ConnectionLost(endpoint), default, exception),
            };
        }

        if (exception is IOException or SmtpProtocolException or ServiceNotConnectedException)
        {
            return IsConnecting(stage) && settings.Security == SmtpSecurity.SslOnConnect
                ? TlsFailureClassifier.ClassifyPlainAnswerToHandshake(exception, settings)
                : Create(SystemMailErrorKind.Connection, $"The connection to {endpoint} was lost", Hints.ConnectionLost(endpoint), default, exception);
        }

        return Create(SystemMailErrorKind.Unknown, $"Sending through {endpoint} failed ({exception.GetType().Name})", Hints.Unknown, default, exception);
    }
}
