namespace SystemMail.Tests.Infrastructure;

/// <summary>One AUTH attempt the test server saw. The password or token is never recorded.</summary>
/// <param name="Method">The SASL mechanism: PLAIN, LOGIN or XOAUTH2.</param>
/// <param name="Username">The user name the client sent.</param>
/// <param name="Success">Whether the server accepted it.</param>
public sealed record SmtpAuthAttempt(string Method, string? Username, bool Success);
