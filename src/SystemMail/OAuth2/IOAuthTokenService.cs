namespace SystemMail;

/// <summary>
/// Everything a settings page needs for OAuth2 ("Generate access token"): the redirect URI to register, the
/// provider's consent URL, the callback, the token status and clearing the tokens. Sending itself needs none
/// of this: SystemMail refreshes and caches the access token on its own.
/// </summary>
/// <remarks>
/// Tokens are kept in the registered <see cref="IOAuthTokenStore"/>, with a fingerprint of the provider information
/// they were issued for (provider, client id and secret, tenant, scopes, endpoints, user name, redirect URI). When
/// any of these changes, the stored tokens are deleted and the status asks for them to be generated again.
/// </remarks>
public interface IOAuthTokenService
{
    /// <summary>Raised when the token status changes: generated, refreshed, cleared or must be generated again.</summary>
    event EventHandler<OAuthTokenStatusChangedEventArgs>? StatusChanged;

    /// <summary>Gets the redirect URI to copy into the provider's console (<see cref="SmtpOAuthOptions.RedirectUri"/>), or <see langword="null"/> when not set.</summary>
    Uri? RedirectUri { get; }

    /// <summary>Starts "Generate access token": a fresh single-use <c>state</c> and PKCE (S256) verifier, bound to the current provider information.</summary>
    /// <param name="boundTo">Who started it (the signed-in administrator), checked again at the callback; or <see langword="null"/>.</param>
    /// <param name="cancellationToken">A token that cancels the operation.</param>
    /// <returns>The provider's authorization URL to redirect the browser to.</returns>
    /// <exception cref="SystemMailException">Authentication is not OAuth2 with the authorization-code flow (kind <see cref="SystemMailErrorKind.Configuration"/>).</exception>
    Task<OAuthAuthorizationRequest> CreateAuthorizationUrlAsync(string? boundTo = null, CancellationToken cancellationToken = default);

    /// <summary>Completes "Generate access token" from the provider's redirect to the callback: exchanges the code and stores the tokens.</summary>
    /// <param name="code">The <c>code</c> query parameter.</param>
    /// <param name="state">The <c>state</c> query parameter.</param>
    /// <param name="providerError">The <c>error</c> query parameter, when the provider refused.</param>
    /// <param name="providerErrorDescription">The <c>error_description</c> query parameter.</param>
    /// <param name="boundTo">Who completes it; must equal the value given to <see cref="CreateAuthorizationUrlAsync"/>.</param>
    /// <param name="cancellationToken">A token that cancels the operation.</param>
    /// <returns>The new status, <see cref="OAuthTokenState.Generated"/>.</returns>
    /// <exception cref="SystemMailException">The state is unknown, reused, expired or for other settings; the provider refused; or the code exchange failed. Nothing is stored.</exception>
    Task<OAuthTokenStatus> CompleteAuthorizationAsync(string? code, string? state, string? providerError = null, string? providerErrorDescription = null, string? boundTo = null, CancellationToken cancellationToken = default);

    /// <summary>Gets the token status for the current settings (deleting tokens issued for other provider information).</summary>
    /// <param name="cancellationToken">A token that cancels the operation.</param>
    /// <returns>
    /// The status. When the current settings are invalid, <see cref="OAuthTokenState.NotGenerated"/> with a
    /// <see cref="OAuthTokenStatus.Reason"/> that names the invalid settings (never a secret), rather than an exception.
    /// </returns>
    Task<OAuthTokenStatus> GetStatusAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the stored tokens and closes the pooled connections that authenticated with them: mail with OAuth2 stops
    /// at once, failing with the "generate the access token" hint, until they are generated again. The status then
    /// says who cleared them, when and why.
    /// </summary>
    /// <param name="clearedBy">Who clears them (the signed-in administrator's name); <see langword="null"/> for <see cref="OAuthTokenStatus.Application"/>.</param>
    /// <param name="reason">Why, as the status shows it; <see langword="null"/> for "The tokens were cleared by …".</param>
    /// <param name="cancellationToken">A token that cancels the operation.</param>
    /// <returns>The status after the clear: <see cref="OAuthTokenState.NotGenerated"/>, with who, when and why.</returns>
    Task<OAuthTokenStatus> ClearTokensAsync(string? clearedBy = null, string? reason = null, CancellationToken cancellationToken = default);
}
