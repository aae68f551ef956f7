using System.Globalization;

namespace SystemMail;

/// <summary>
/// The one place a token endpoint's refusal (<see cref="OAuth2ProtocolException"/>) becomes the
/// <see cref="SystemMailException"/> an administrator sees: its kind and its hint.
/// </summary>
/// <remarks>
/// The rule: an unavailable endpoint (<see cref="OAuth2ProtocolException.IsTransient"/>) is transient for every
/// operation and the stored tokens are kept; otherwise the operation says what to fix. A refresh token refused with
/// <c>invalid_grant</c> means the tokens must be generated again.
/// </remarks>
internal static class OAuth2ErrorMapping
{
    /// <summary>Maps a refusal of <paramref name="operation"/> by the token endpoint of <paramref name="oauth"/>.</summary>
    public static SystemMailException ToSystemMailException(OAuth2TokenOperation operation, OAuth2Settings oauth, OAuth2ProtocolException exception)
    {
        if (exception.IsTransient)
        {
            return TokenEndpointUnavailable(oauth, exception);
        }

        return operation switch
        {
            OAuth2TokenOperation.CodeExchange => new SystemMailException(
                SystemMailErrorKind.Authentication, $"The provider refused the authorization code: {exception.Message}.", Hints.CodeExchangeFailed, innerException: exception),
            OAuth2TokenOperation.Refresh when exception.IsInvalidGrant => MustRegenerate(oauth, RefreshTokenRefusedReason(exception), exception),
            OAuth2TokenOperation.Refresh => new SystemMailException(
                SystemMailErrorKind.Authentication, $"Refreshing the OAuth2 access token failed: {exception.Message}.", Hints.RegenerateAccessToken, innerException: exception),
            OAuth2TokenOperation.ClientCredentials => new SystemMailException(
                SystemMailErrorKind.Authentication, $"The provider refused the client credentials: {exception.Message}.", Hints.ClientCredentialsRefused, innerException: exception),
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
        };
    }

    /// <summary>The reason kept in the token record (and shown in the status) when the refresh token was refused.</summary>
    public static string RefreshTokenRefusedReason(OAuth2ProtocolException exception) =>
        $"The provider refused the refresh token ({exception.Message}).";

    /// <summary>The tokens are unusable (refused, or marked so by an earlier refusal): only a new consent helps.</summary>
    public static SystemMailException MustRegenerate(OAuth2Settings oauth, string? reason, Exception? innerException = null) =>
        new(
            SystemMailErrorKind.Authentication,
            $"The OAuth2 tokens for {oauth.Username} must be generated again{(reason is null ? "." : ": " + reason)}",
            Hints.RegenerateAccessToken,
            innerException: innerException);

    private static SystemMailException TokenEndpointUnavailable(OAuth2Settings oauth, OAuth2ProtocolException exception) =>
        new(
            SystemMailErrorKind.Transient,
            $"The OAuth2 token endpoint {oauth.TokenEndpoint.Host} did not answer usefully ({exception.HttpStatus?.ToString(CultureInfo.InvariantCulture) ?? exception.Message}).",
            Hints.TokenEndpointUnavailable(oauth.TokenEndpoint.Host),
            innerException: exception);
}
