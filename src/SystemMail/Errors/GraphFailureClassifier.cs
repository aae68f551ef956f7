using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;

namespace SystemMail;

/// <summary>
/// Turns a failed Microsoft Graph request into the <see cref="SystemMailException"/> an administrator sees: an answer
/// through <see cref="KnownGraphReplies"/>, a request that got no answer by what the HTTP stack reported.
/// </summary>
internal static class GraphFailureClassifier
{
    /// <summary>Graph answered with an error.</summary>
    public static SystemMailException Classify(GraphReply reply, SmtpSettings settings)
    {
        var (kind, hint) = KnownGraphReplies.Match(reply, settings);
        return new SystemMailException(
            kind,
            $"Microsoft Graph refused the mail from mailbox {settings.Username}: {reply.Text}.",
            hint,
            statusCode: reply.StatusCode,
            serverResponse: reply.Text)
        {
            RetryAfter = kind is SystemMailErrorKind.Transient or SystemMailErrorKind.Throttled ? reply.RetryAfter : null,
        };
    }

    /// <summary>The request got no answer: the name did not resolve, the connection or the TLS handshake failed, or time ran out.</summary>
    public static SystemMailException Classify(Exception exception, SmtpSettings settings)
    {
        var endpoint = settings.Endpoint;
        if (exception is OperationCanceledException or TimeoutException)
        {
            return new SystemMailException(
                SystemMailErrorKind.Timeout,
                $"Microsoft Graph at {endpoint} did not answer within {settings.Timeout.TotalSeconds:0.#} s.",
                Hints.CommandTimeout(endpoint),
                innerException: exception);
        }

        if (exception is HttpRequestException http)
        {
            var tls = http.HttpRequestError == HttpRequestError.SecureConnectionError || SmtpFailure.Find<AuthenticationException>(exception) is not null;
            var why = http.HttpRequestError switch
            {
                HttpRequestError.NameResolutionError => $"the host name '{settings.Host}' was not found",
                HttpRequestError.SecureConnectionError => "the TLS handshake failed",
                _ when SmtpFailure.Find<SocketException>(exception) is { SocketErrorCode: SocketError.ConnectionRefused } => "the connection was refused",
                _ when tls => "the TLS handshake failed",
                _ => "the connection failed or was lost",
            };
            return new SystemMailException(
                tls ? SystemMailErrorKind.Tls : SystemMailErrorKind.Connection,
                $"Microsoft Graph at {endpoint} could not be reached: {why}.",
                Hints.GraphUnreachable(endpoint),
                innerException: exception);
        }

        return new SystemMailException(
            SystemMailErrorKind.Unknown,
            $"Sending through Microsoft Graph at {endpoint} failed ({exception.GetType().Name}).",
            Hints.Unknown,
            innerException: exception);
    }
}
