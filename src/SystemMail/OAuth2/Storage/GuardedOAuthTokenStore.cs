namespace SystemMail;

/// <summary>
/// The host's <see cref="IOAuthTokenStore"/> as the token manager uses it: a failure of the store (its database or
/// cache down, a timeout) becomes a transient <see cref="SystemMailException"/> that names the store and says what to
/// check, so a send retries it and logs it like any other failure instead of escaping as the store's own exception.
/// </summary>
internal sealed class GuardedOAuthTokenStore : IOAuthTokenStore
{
    private readonly IOAuthTokenStore _inner;

    public GuardedOAuthTokenStore(IOAuthTokenStore inner)
    {
        _inner = inner;
    }

    public async ValueTask<OAuthTokenStoreEntry?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _inner.GetAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            throw Failed("read", ex);
        }
    }

    public async ValueTask<string?> TrySaveAsync(string key, ReadOnlyMemory<byte> value, string? expectedVersion, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _inner.TrySaveAsync(key, value, expectedVersion, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            throw Failed("save", ex);
        }
    }

    public async ValueTask<string?> TrySaveExpiringAsync(string key, ReadOnlyMemory<byte> value, string? expectedVersion, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _inner.TrySaveExpiringAsync(key, value, expectedVersion, expiresAt, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            throw Failed("save", ex);
        }
    }

    public async ValueTask<OAuthTokenStoreEntry?> TakeAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _inner.TakeAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            throw Failed("take", ex);
        }
    }

    public async ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            await _inner.RemoveAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            throw Failed("remove", ex);
        }
    }

    private static bool IsStoreFailure(Exception exception, CancellationToken cancellationToken) =>
        exception is not SystemMailException && !(exception is OperationCanceledException && cancellationToken.IsCancellationRequested);

    /// <remarks>The store's own message is left out (a connection string may be in it); the exception stays inner.</remarks>
    private SystemMailException Failed(string operation, Exception exception)
    {
        var store = _inner.GetType().Name;
        return new SystemMailException(
            SystemMailErrorKind.Transient,
            $"The OAuth2 token store ({store}) failed to {operation} the tokens: {exception.GetType().Name}.",
            Hints.TokenStoreUnavailable(store),
            innerException: exception);
    }
}
