namespace SystemMail;

/// <summary>
/// Where SystemMail's records live between restarts and across host instances: the OAuth2 tokens, the pending
/// "Generate access token" authorizations and, with SystemMail.AspNetCore, the settings saved from the settings page
/// (key <c>settings</c>). A small key-value store with versions, for the host to back with one table of its database.
/// SystemMail serializes and (with Data Protection) encrypts the values; the store only keeps bytes.
/// </summary>
/// <remarks>
/// <para>The default keeps tokens in memory. Register the host's own with <c>builder.AddTokenStore&lt;T&gt;()</c>,
/// or share them through Redis or SQL Server with <c>builder.AddDistributedTokenStore()</c>.</para>
/// <para><see cref="TrySaveAsync"/> is a compare-and-swap: Microsoft rotates refresh tokens, so two instances
/// refreshing at once must not overwrite a newer refresh token with an older one. An implementation over a
/// database does this with a version column (<c>UPDATE … WHERE Version = @expected</c>).</para>
/// </remarks>
public interface IOAuthTokenStore
{
    /// <summary>Reads a value.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">A token that cancels the read.</param>
    /// <returns>The value and its version, or <see langword="null"/> when there is none.</returns>
    ValueTask<OAuthTokenStoreEntry?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Saves a value if the stored version is still <paramref name="expectedVersion"/>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The bytes to store.</param>
    /// <param name="expectedVersion">The version read before, or <see langword="null"/> to save only when the key has no value.</param>
    /// <param name="cancellationToken">A token that cancels the save.</param>
    /// <returns>The new version, or <see langword="null"/> when another writer saved first (nothing was written).</returns>
    ValueTask<string?> TrySaveAsync(string key, ReadOnlyMemory<byte> value, string? expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>Removes a value; does nothing when there is none.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">A token that cancels the removal.</param>
    /// <returns>A task that completes when the value is gone.</returns>
    ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default);
}
