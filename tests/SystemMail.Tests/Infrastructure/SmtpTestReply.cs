namespace SystemMail.Tests.Infrastructure;

/// <summary>An SMTP reply the test server sends: the code and the text after it (with any enhanced status code).</summary>
/// <param name="Code">The reply code, such as 535.</param>
/// <param name="Message">The text, such as <c>5.7.8 Username and Password not accepted</c>.</param>
public sealed record SmtpTestReply(int Code, string Message);
