namespace SystemMail.Benchmarks.Throughput;

/// <summary>The ways of sending the same mail that the throughput run compares: the four the ratios use, and raw MailKit building each message, which explains the first ratio.</summary>
internal enum Scenario
{
    /// <summary>Raw MailKit: one SmtpClient kept connected and authenticated, pre-built messages. The ceiling for one connection.</summary>
    Raw,

    /// <summary>Raw MailKit on the kept connection, each message built (with SystemMail's builder) just before it is sent.</summary>
    RawBuiltPerMail,

    /// <summary>Connect, STARTTLS, AUTH, send and QUIT for every mail: what most code does.</summary>
    ConnectPerMessage,

    /// <summary><c>ISystemMailer.SendActivationAsync</c>, one caller awaiting each mail.</summary>
    Sequential,

    /// <summary><c>ISystemMailer.SendActivationAsync</c> from concurrent callers, over the pool.</summary>
    Concurrent,
}
