namespace SystemMail;

/// <summary>
/// Where SystemMail's records live between restarts and across host instances: the OAuth2 tokens, the pending
/// "Generate access token" authorizations and, with SystemMail.AspNetCore, the settings saved from the settings page
/// (key <c>settings</c>). A small key-value store with versions, for the host to back with one table of its database.
/// SystemMail serializes and encrypts the values with Data Protection; the store only keeps bytes.
/// </summary>
/// <remarks>
/// <para>The default keeps tokens in memory. Register the host's own with <c>builder.AddTokenStore&lt;T&gt;()</c>,
/// share them through Redis with SystemMail.StackExchangeRedis (<c>builder.PersistToRedis(…)</c>), a database with
/// SystemMail.EntityFrameworkCore (<c>builder.PersistToDbContext&lt;TContext&gt;()</c>), or any cache with
/// <c>builder.AddDistributedTokenStore()</c>.</para>
/// <para><see cref="TrySaveAsync"/> is a compare-and-swap: Microsoft rotates refresh tokens, so two instances
/// refreshing at once must not overwrite a newer refresh token with an older one. An implementation over a
/// database does this with a version column (<c>UPDATE … WHERE Version = @expected</c>).</para>
/// <para>A pending authorization is saved with an expiry (<see cref="TrySaveExpiringAsync"/>)
/// and taken once (<see cref="TakeAsync"/>). Both have default implementations over the three required members: a
/// store that cannot expire values keeps them (SystemMail still refuses an expired one), and the default take is a
/// compare-and-swap, so it is atomic when <see cref="TrySaveAsync"/> is.</para>
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

    /// <summary>Saves a value that the store drops at <paramref name="expiresAt"/>, if the stored version is still <paramref name="expectedVersion"/>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The bytes to store.</param>
    /// <param name="expectedVersion">The version read before, or <see langword="null"/> to save only when the key has no value.</param>
    /// <param name="expiresAt">When the value stops being read and may be deleted.</param>
    /// <param name="cancellationToken">A token that cancels the save.</param>
    /// <returns>The new version, or <see langword="null"/> when another writer saved first (nothing was written).</returns>
    /// <remarks>The default saves without an expiry: override it where the store can expire values (a TTL, an expiry column).</remarks>
    ValueTask<string?> TrySaveExpiringAsync(string key, ReadOnlyMemory<byte> value, string? expectedVersion, DateTimeOffset expiresAt, CancellationToken cancellationToken = default) =>
        TrySaveAsync(key, value, expectedVersion, cancellationToken);

    /// <summary>Reads a value and removes it, so that of two callers taking the same key at once, only one gets it.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">A token that cancels the take.</param>
    /// <returns>The value, or <see langword="null"/> when there is none or another caller took it.</returns>
    /// <remarks>
    /// The default claims the value with a compare-and-swap (an empty value over the version read), then removes it: as
    /// atomic as <see cref="TrySaveAsync"/>.
    /// </remarks>
    async ValueTask<OAuthTokenStoreEntry?> TakeAsync(string key, CancellationToken cancellationToken = default)
    {
        var entry = await GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (entry is null || entry.Value.IsEmpty)
        {
            return null;
        }

        var claimed = await TrySaveAsync(key, ReadOnlyMemory<byte>.Empty, entry.Version, cancellationToken).ConfigureAwait(false);
        if (claimed is null)
        {
            return null;
        }

        await RemoveAsync(key, cancellationToken).ConfigureAwait(false);
        return entry;
    }
}
