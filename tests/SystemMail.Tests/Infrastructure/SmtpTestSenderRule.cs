namespace SystemMail.Tests.Infrastructure;

/// <summary>A sender the test server refuses at <c>MAIL FROM</c>.</summary>
/// <param name="Code">The reply code, such as 553.</param>
/// <param name="Message">The reply text.</param>
/// <param name="Address">The refused address, or <see langword="null"/> to refuse every sender.</param>
public sealed record SmtpTestSenderRule(int Code, string Message, string? Address = null);
