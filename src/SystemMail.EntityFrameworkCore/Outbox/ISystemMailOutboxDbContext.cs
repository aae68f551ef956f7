using Microsoft.EntityFrameworkCore;

namespace SystemMail.EntityFrameworkCore;

/// <summary>
/// A host's <see cref="DbContext"/> that keeps SystemMail's outbox beside its records: implement it on the context
/// and register the outbox with <c>builder.AddOutbox&lt;TContext&gt;()</c>.
/// </summary>
/// <remarks>
/// The outbox gets a table of its own, named after the property (<c>SystemMailOutbox</c>); its shape and indexes come
/// from the attributes of <see cref="SystemMailOutboxMessage"/>, so <c>OnModelCreating</c> needs nothing. The outbox's
/// global sending-limit counter is a row of <see cref="ISystemMailDbContext.SystemMailRecords"/>.
/// </remarks>
public interface ISystemMailOutboxDbContext : ISystemMailDbContext
{
    /// <summary>Gets the outbox's mails.</summary>
    DbSet<SystemMailOutboxMessage> SystemMailOutbox { get; }
}
