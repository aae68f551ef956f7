namespace SystemMail.Tests.Infrastructure;

/// <summary>The next <paramref name="Count"/> commands named <paramref name="Command"/> (MAIL, RCPT, DATA) get this reply.</summary>
public sealed record SmtpTestCommandFailure(string Command, int Count, int Code, string Message);
