namespace SystemMail.Tests.Infrastructure.OAuth2;

/// <summary>Which part of the test authorization server a request reached.</summary>
public enum OAuth2Endpoint
{
    /// <summary>A path the server does not serve; answered with 404 but still recorded, so a test sees what a client asked for.</summary>
    Unknown,
    Authorize,
    Token,
    Discovery,
    Keys,

    /// <summary>RFC 7662 token introspection, asked by the test SMTP server whether an XOAUTH2 token is one this server issued.</summary>
    Introspect,
}
