namespace SystemMail.Tests.Infrastructure;

/// <summary>A recipient the test server refuses at <c>RCPT TO</c>.</summary>
/// <param name="Address">The refused address (compared without case).</param>
/// <param name="Code">The reply code, such as 550.</param>
/// <param name="Message">The reply text, such as <c>5.1.1 User unknown</c>.</param>
public sealed record SmtpTestRecipientRule(string Address, int Code, string Message);
