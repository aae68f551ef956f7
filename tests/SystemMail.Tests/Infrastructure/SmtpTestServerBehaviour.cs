namespace SystemMail.Tests.Infrastructure;

/// <summary>What the test server does at run time; every value left out is the server's normal behaviour.</summary>
public sealed record SmtpTestServerBehaviour
{
    /// <summary>Gets the reply every AUTH attempt fails with, whatever the credentials; <see langword="null"/> to check them.</summary>
    public SmtpTestReply? AuthReply { get; init; }

    /// <summary>Gets the sender refused at <c>MAIL FROM</c>, if any.</summary>
    public SmtpTestSenderRule? RejectSender { get; init; }

    /// <summary>Gets the recipients refused at <c>RCPT TO</c>.</summary>
    public IReadOnlyList<SmtpTestRecipientRule> RejectRecipients { get; init; } = [];

    /// <summary>Gets after how many accepted messages the server closes a connection; <see langword="null"/> for never.</summary>
    public int? CloseAfterMessages { get; init; }

    /// <summary>Gets the reply sent just before such a close (such as 421 "4.4.2 Error: timeout exceeded"); a silent close when <see langword="null"/>.</summary>
    public SmtpTestReply? CloseReply { get; init; }

    /// <summary>Gets replies for the next commands of a kind (such as two 451s to <c>MAIL</c>).</summary>
    public IReadOnlyList<SmtpTestCommandFailure> FailNext { get; init; } = [];

    /// <summary>Gets how long the reply to the end of DATA waits, in milliseconds.</summary>
    public int DataDelayMs { get; init; }

    /// <summary>Gets the chaos mode: random 421/451 replies and cut connections; <see langword="null"/> for none.</summary>
    public SmtpTestChaos? Chaos { get; init; }

    /// <summary>Gets the reply sent instead of the 220 greeting before the server closes the connection (such as 554 "5.7.1 Access denied").</summary>
    public SmtpTestReply? GreetingReply { get; init; }

    /// <summary>Gets the reply to every EHLO and HELO (such as 501 "5.5.4 Invalid domain name").</summary>
    public SmtpTestReply? EhloReply { get; init; }

    /// <summary>Gets the reply to STARTTLS, which then does not start TLS (such as 454 "4.7.0 TLS not available due to local problem").</summary>
    public SmtpTestReply? StartTlsReply { get; init; }

    /// <summary>Gets the reply to AUTH and MAIL FROM on a connection without TLS, as Office 365 answers 451 "5.7.3 STARTTLS is required to send mail".</summary>
    public SmtpTestReply? RequireTls { get; init; }

    /// <summary>Gets the reply to the end of DATA instead of accepting the message (such as 554 "5.7.1 Message rejected as spam").</summary>
    public SmtpTestReply? DataReply { get; init; }
}
