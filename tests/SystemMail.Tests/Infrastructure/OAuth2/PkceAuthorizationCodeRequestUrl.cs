using Google.Apis.Auth.OAuth2.Requests;
using Google.Apis.Util;

namespace SystemMail.Tests.Infrastructure.OAuth2;

/// <summary>
/// The generic authorization request URL plus RFC 7636's parameters; the base class has none, and
/// <c>Build()</c> picks up every <see cref="RequestParameterAttribute"/> property of the runtime type.
/// </summary>
public sealed class PkceAuthorizationCodeRequestUrl(Uri authorizationServerUrl) : AuthorizationCodeRequestUrl(authorizationServerUrl)
{
    [RequestParameter("code_challenge", RequestParameterType.Query)]
    public string? CodeChallenge { get; set; }

    [RequestParameter("code_challenge_method", RequestParameterType.Query)]
    public string? CodeChallengeMethod { get; set; }
}
