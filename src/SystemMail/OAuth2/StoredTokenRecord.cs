namespace SystemMail;

/// <summary>The token record as read from the store, with the version a compare-and-swap save must name.</summary>
/// <param name="Record">The record, or <see langword="null"/> when none is stored (or it is unreadable).</param>
/// <param name="Version">The stored version, or <see langword="null"/> when nothing is stored.</param>
/// <param name="Discarded">
/// The stored tokens were issued for other provider information and were just replaced by <paramref name="Record"/>,
/// a tombstone: a copy held in memory must be dropped and the new status published.
/// </param>
internal readonly record struct StoredTokenRecord(OAuthTokenRecord? Record, string? Version, bool Discarded = false);
