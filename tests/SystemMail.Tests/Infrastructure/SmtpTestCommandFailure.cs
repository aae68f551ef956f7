namespace SystemMail.Tests.Infrastructure;

/// <summary>
/// The next <paramref name="Count"/> commands named <paramref name="Command"/> (MAIL, RCPT, DATA) get this reply; or,
/// with <paramref name="Drop"/>, find the connection cut with no reply (at DATA after the message was stored: the
/// client cannot know it arrived).
/// </summary>
public sealed record SmtpTestCommandFailure(string Command, int Count, int Code, string Message, bool Drop = false)
{
    /// <summary>The next <paramref name="count"/> commands named <paramref name="command"/> find the connection cut with no reply.</summary>
    public static SmtpTestCommandFailure Cut(string command, int count = 1) => new(command, count, 0, string.Empty, Drop: true);
}
