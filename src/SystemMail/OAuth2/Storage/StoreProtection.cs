using Microsoft.AspNetCore.DataProtection;

namespace SystemMail;

/// <summary>
/// The rule for what SystemMail writes to its <see cref="IOAuthTokenStore"/>: tokens and saved settings are encrypted
/// with Data Protection before they leave the process. A store that outlives the process (Redis, a database, any
/// store the host registers) without a registered <see cref="IDataProtectionProvider"/> stops the host at start-up
/// (<see cref="StoreProtectionValidator"/>), and a serializer refuses to write in clear.
/// </summary>
/// <remarks>
/// SystemMail does not register Data Protection itself: where its key ring lives is the host's decision, and a key
/// ring SystemMail made up (in memory, or in a folder a container throws away) would make the stored tokens and
/// settings unreadable after the next restart without a word. The in-memory default store needs no protection (it
/// never leaves the process) but uses it when the host registers it.
/// </remarks>
internal static class StoreProtection
{
    /// <summary>The purpose of the tokens' and pending authorizations' protector.</summary>
    public const string TokensPurpose = "SystemMail.OAuth2.Tokens.v1";

    /// <summary>Gets whether <paramref name="store"/> keeps what it is given beyond this process.</summary>
    public static bool IsPersistent(IOAuthTokenStore store) => store is not InMemoryOAuthTokenStore;

    /// <summary>Says what is missing and how to add it, naming the store.</summary>
    public static string Missing(IOAuthTokenStore store) =>
        $"SystemMail keeps OAuth2 tokens and saved settings in {store.GetType().Name}, a store that outlives the process, but no Data Protection is registered to encrypt them, and they are never written in clear. " +
        "Register Data Protection with a key ring kept apart from that store and shared by every instance, for example " +
        "services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(\"/var/lib/myapp/keys\")) (or PersistKeysToStackExchangeRedis, PersistKeysToDbContext), " +
        "and protect the keys at rest (ProtectKeysWithCertificate).";

    /// <summary>The protector for <paramref name="purpose"/>, or <see langword="null"/> where the store may hold clear bytes (in memory, no Data Protection).</summary>
    /// <exception cref="InvalidOperationException">The store is persistent and no Data Protection is registered.</exception>
    public static IDataProtector? CreateProtector(IDataProtectionProvider? dataProtection, IOAuthTokenStore store, string purpose)
    {
        if (dataProtection is not null)
        {
            return dataProtection.CreateProtector(purpose);
        }

        return IsPersistent(store) ? throw new InvalidOperationException(Missing(store)) : null;
    }
}
