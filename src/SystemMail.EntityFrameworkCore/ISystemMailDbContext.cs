using Microsoft.EntityFrameworkCore;

namespace SystemMail.EntityFrameworkCore;

/// <summary>
/// A host's <see cref="DbContext"/> that keeps SystemMail's records: implement it on the context and register the
/// store with <c>builder.PersistToDbContext&lt;TContext&gt;()</c>.
/// </summary>
/// <remarks>
/// The records get a table of their own, named after the property (<c>SystemMailRecords</c>) by EF Core's
/// conventions; create it with the host's migrations or <c>EnsureCreated</c>. Its shape comes from the attributes of
/// <see cref="SystemMailRecord"/>, so <c>OnModelCreating</c> needs nothing.
/// </remarks>
public interface ISystemMailDbContext
{
    /// <summary>Gets SystemMail's records: the OAuth2 tokens, pending authorizations and saved settings, a row per key.</summary>
    DbSet<SystemMailRecord> SystemMailRecords { get; }
}
