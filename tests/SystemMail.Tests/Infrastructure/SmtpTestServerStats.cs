namespace SystemMail.Tests.Infrastructure;

/// <summary>What the test server counted since it started or since its counters were last reset.</summary>
/// <param name="Connections">Connections opened (that reached the SMTP greeting).</param>
/// <param name="OpenConnections">Connections open now.</param>
/// <param name="ClosedConnections">Connections closed.</param>
/// <param name="AuthAttempts">Every AUTH attempt, in order.</param>
/// <param name="Commands">SMTP commands by name (EHLO, STARTTLS, AUTH, MAIL, RCPT, DATA, RSET, QUIT, ...).</param>
/// <param name="Messages">Messages accepted.</param>
public sealed record SmtpTestServerStats(
    int Connections,
    int OpenConnections,
    int ClosedConnections,
    IReadOnlyList<SmtpAuthAttempt> AuthAttempts,
    IReadOnlyDictionary<string, int> Commands,
    int Messages)
{
    /// <summary>Gets how many commands the chaos mode answered with 421 or 451.</summary>
    public int ChaosFailures { get; init; }

    /// <summary>Gets how many connections the chaos mode cut with no reply.</summary>
    public int ChaosDrops { get; init; }

    /// <summary>Gets the Message-Ids of mails stored just before their connection was cut: the client could not know they arrived.</summary>
    public IReadOnlyList<string?> DroppedAfterData { get; init; } = [];

    /// <summary>Gets how often the client sent a command.</summary>
    /// <param name="name">The command name, such as <c>AUTH</c>.</param>
    /// <returns>The count, 0 when never sent.</returns>
    public int CommandCount(string name) => Commands.TryGetValue(name, out var count) ? count : 0;
}
