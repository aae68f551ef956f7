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
}
