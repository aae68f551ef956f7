namespace SystemMail.Tests.Infrastructure;

/// <summary>
/// A misbehaving server: at MAIL, RCPT and the end of DATA, <paramref name="FailRate"/> of the commands get 421 (then a
/// closed connection) or 451, and <paramref name="DropRate"/> find the connection cut with no reply.
/// </summary>
public sealed record SmtpTestChaos(double DropRate, double FailRate, int Seed = 1);
