using System.ComponentModel.DataAnnotations;

namespace SystemMail.EntityFrameworkCore;

/// <summary>
/// One record of SystemMail in the host's database: the bytes SystemMail serialized and (with Data Protection)
/// encrypted, under a key such as <c>tokens</c>, <c>settings</c> or <c>state:…</c>, with the version that makes its
/// writes a compare-and-swap.
/// </summary>
/// <remarks>
/// SystemMail reads and writes these rows itself; a host only maps them (through
/// <see cref="ISystemMailDbContext.SystemMailRecords"/>) and creates the table.
/// </remarks>
public sealed class SystemMailRecord
{
    /// <summary>The longest key the table takes; SystemMail's own keys are short (the longest, <c>state:</c> and a random value, has 49 characters).</summary>
    internal const int MaxKeyLength = 200;

    /// <summary>The longest version: a version is a new GUID in 32 hexadecimal digits; the column leaves room.</summary>
    internal const int MaxVersionLength = 64;

    /// <summary>Gets or sets the key, the primary key of the table.</summary>
    [Key]
    [MaxLength(MaxKeyLength)]
    public string Key { get; set; } = string.Empty;

    /// <summary>Gets or sets the stored bytes, serialized and protected by SystemMail.</summary>
    public byte[] Value { get; set; } = [];

    /// <summary>Gets or sets the version the value was saved as; a write names the version it read and changes nothing when another writer saved first.</summary>
    [ConcurrencyCheck]
    [MaxLength(MaxVersionLength)]
    public string Version { get; set; } = string.Empty;

    /// <summary>
    /// Gets or sets when the value expires, in UTC, or <see langword="null"/> when it does not (tokens, settings). Pending
    /// authorizations (<c>state:…</c>) expire: an expired row is never read, and expired rows are deleted when the next
    /// one is saved.
    /// </summary>
    public DateTime? ExpiresAt { get; set; }

    /// <summary>Gets or sets when the value was last saved, in UTC, for the host's own maintenance; SystemMail does not read it.</summary>
    /// <remarks>A <see cref="DateTime"/> rather than a <see cref="DateTimeOffset"/>: every provider compares it in queries (SQLite cannot compare a <see cref="DateTimeOffset"/>).</remarks>
    public DateTime UpdatedAt { get; set; }
}
