namespace SystemMail.AspNetCore;

/// <summary>
/// Where the settings saved on the "Mail server" page live between restarts: one versioned value for the host to
/// back with its own database. SystemMail serializes the settings and (with Data Protection) encrypts them, secrets
/// included; the store only keeps bytes.
/// </summary>
/// <remarks>
/// <para>The default keeps the settings in memory, so they are lost on restart. Register the host's own with
/// <c>builder.AddSettingsStore&lt;T&gt;()</c>.</para>
/// <para>Saved settings override the same fields of the configuration section, and reach
/// <see cref="Microsoft.Extensions.Options.IOptionsMonitor{TOptions}"/> at once, so the next mail uses them.</para>
/// <para><see cref="TrySaveAsync"/> is a compare-and-swap, as in <see cref="IOAuthTokenStore"/>: two administrators
/// saving at once must not silently overwrite each other. Over a database: <c>UPDATE … WHERE Version = @expected</c>.</para>
/// </remarks>
public interface ISystemMailSettingsStore
{
    /// <summary>Reads the saved settings.</summary>
    /// <param name="cancellationToken">A token that cancels the read.</param>
    /// <returns>The value and its version, or <see langword="null"/> when nothing was saved yet.</returns>
    ValueTask<SystemMailSettingsEntry?> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>Saves the settings if the stored version is still <paramref name="expectedVersion"/>.</summary>
    /// <param name="value">The bytes to store.</param>
    /// <param name="expectedVersion">The version read before, or <see langword="null"/> to save only when nothing is stored.</param>
    /// <param name="cancellationToken">A token that cancels the save.</param>
    /// <returns>The new version, or <see langword="null"/> when another writer saved first (nothing was written).</returns>
    ValueTask<string?> TrySaveAsync(ReadOnlyMemory<byte> value, string? expectedVersion, CancellationToken cancellationToken = default);
}
