namespace SystemMail.AspNetCore;

/// <summary>The saved settings as an <see cref="ISystemMailSettingsStore"/> keeps them, with the version they were saved as.</summary>
public sealed class SystemMailSettingsEntry
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="value">The stored bytes (protected with Data Protection when the host registers it).</param>
    /// <param name="version">The version the store gave the value when it was saved.</param>
    /// <exception cref="ArgumentException"><paramref name="version"/> is null or empty.</exception>
    public SystemMailSettingsEntry(ReadOnlyMemory<byte> value, string version)
    {
        ArgumentException.ThrowIfNullOrEmpty(version);
        Value = value;
        Version = version;
    }

    /// <summary>Gets the stored bytes.</summary>
    public ReadOnlyMemory<byte> Value { get; }

    /// <summary>Gets the version (an ETag) the value was saved as.</summary>
    public string Version { get; }

    /// <summary>Returns the version and size; never the value.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => $"{Value.Length} bytes, version {Version}";
}
