namespace SystemMail;

/// <summary>What the failure classifiers share: the exception they make and the walk down inner exceptions.</summary>
internal static class SmtpFailure
{
    /// <summary>Makes the exception: <paramref name="what"/> went wrong, with the server's reply when it answered.</summary>
    public static SystemMailException Create(SystemMailErrorKind kind, string what, Hint hint, SmtpServerReply? reply, Exception inner)
    {
        var message = reply is not null ? $"{what}: {reply.StatusCode} {reply.Text.TrimEnd('.')}." : $"{what}.";
        return new SystemMailException(kind, message, hint, reply?.StatusCode, reply?.EnhancedStatusCode, reply?.Text, inner);
    }

    /// <summary>Whether the stage comes before authentication: the connection and its greeting, EHLO and TLS.</summary>
    public static bool IsConnecting(SmtpStage stage) => stage is not (SmtpStage.Proxy or SmtpStage.Authenticate or SmtpStage.Send);

    /// <summary>Finds the first exception of type <typeparamref name="T"/> in <paramref name="exception"/> and its inner exceptions.</summary>
    public static T? Find<T>(Exception exception)
        where T : Exception => Chain(exception).OfType<T>().FirstOrDefault();

    /// <summary>Gets <paramref name="exception"/> and its inner exceptions, outermost first.</summary>
    public static IEnumerable<Exception> Chain(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            yield return current;
        }
    }
}
