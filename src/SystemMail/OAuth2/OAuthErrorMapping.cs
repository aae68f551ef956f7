using System.Globalization;

namespace SystemMail;

/// <summary>
/// The one place a token endpoint's refusal (<see cref="OAuthProtocolException"/>) becomes the
/// <see cref="SystemMailException"/> an administrator sees: its kind and its hint.
/// </summary>
/// <remarks>
/// The rule: an unavailable endpoint (<see cref="OAuthProtocolException.IsTransient"/>) is transient for every
/// operation and the stored tokens are kept; otherwise the operation says what to fix. A refresh token refused with
/// <c>invalid_grant</c> means the tokens must be generated again.
/// </remarks>
internal static class OAuthErrorMapping
{
    /// <summary>Maps a refusal of <paramref name="operation"/> by the token endpoint of <paramref name="oauth"/>.</summary>
    public static SystemMailException ToSystemMailException(OAuthTokenOperation operation, OAuthSettings oauth, OAuthProtocolException exception)
    {
        if (exception.IsTransient)
        {
            return TokenEndpointUnavailable(oauth, exception);
        }

        return operation switch
        {
            OAuthTokenOperation.CodeExchange => new SystemMailException(
                SystemMailErrorKind.Authentication, $"The provider refused the authorization code: {exception.Message}.", Hints.CodeExchangeFailed, innerException: exception),
            OAuthTokenOperation.Refresh when exception.IsInvalidGrant => MustRegenerate(oauth, RefreshTokenRefusedReason(exception), exception),
            OAuthTokenOperation.Refresh => new SystemMailException(
                SystemMailErrorKind.Authentication, $"Refreshing the OAuth2 access token failed: {exception.Message}.", Hints.RegenerateAccessToken, innerException: exception),
            OAuthTokenOperation.ServiceAccount => new SystemMailException(
                SystemMailErrorKind.Authentication, $"The provider refused the service account's assertion for {oauth.Username}: {exception.Message}.", Hints.ServiceAccountRefused, innerException: exception),
            OAuthTokenOperation.ClientCredentials => new SystemMailException(
                SystemMailErrorKind.Authentication, $"The provider refused the client credentials: {exception.Message}.", Hints.ClientCredentialsRefused, innerException: exception),
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
        };
    }

    /// <summary>The reason kept in the token record (and shown in the status) when the refresh token was refused.</summary>
    public static string RefreshTokenRefusedReason(OAuthProtocolException exception) =>
        $"The provider refused the refresh token ({exception.Message}).";

    /// <summary>The tokens are unusable (refused, or marked so by an earlier refusal): only a new consent helps.</summary>
    public static SystemMailException MustRegenerate(OAuthSettings oauth, string? reason, Exception? innerException = null) =>
        new(
            SystemMailErrorKind.Authentication,
            $"The OAuth2 tokens for {oauth.Username} must be generated again{(reason is null ? "." : ": " + reason)}",
            Hints.RegenerateAccessToken,
            innerException: innerException);

    private static SystemMailException TokenEndpointUnavailable(OAuthSettings oauth, OAuthProtocolException exception) =>
        new(
            SystemMailErrorKind.Transient,
            $"The OAuth2 token endpoint {oauth.TokenEndpoint.Host} did not answer usefully ({exception.HttpStatus?.ToString(CultureInfo.InvariantCulture) ?? exception.Message}).",
            Hints.TokenEndpointUnavailable(oauth.TokenEndpoint.Host),
            innerException: exception);
}
