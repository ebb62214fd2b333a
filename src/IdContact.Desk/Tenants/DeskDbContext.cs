using IdContact.Desk.Admin;
using IdContact.Desk.Agents;
using IdContact.Desk.Chat;
using IdContact.Desk.Sessions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace IdContact.Desk.Tenants;

/// <summary>
/// One municipality's database: its sessions, agents and audit trail. Never shared between tenants. Each provider has
/// its own subclass and migrations (<see cref="Migrations.SqliteDeskDbContext"/>, <see cref="Migrations.PostgresDeskDbContext"/>).
/// </summary>
public abstract class DeskDbContext(DbContextOptions options) : IdentityDbContext<Agent, IdentityRole, string>(options)
{
    /// <summary>The partial index behind the agent overview (see OnModelCreating).</summary>
    public const string IncomingIndex = "IX_Sessions_Incoming";

    public const string QueueIndex = "IX_Sessions_Queue";

    public DbSet<ContactSession> Sessions => Set<ContactSession>();

    public DbSet<CallAttempt> CallAttempts => Set<CallAttempt>();

    public DbSet<WrongCodeWindow> WrongCodeWindows => Set<WrongCodeWindow>();

    public DbSet<AuditRecord> Audit => Set<AuditRecord>();

    public DbSet<AdminAuditRecord> AdminAudit => Set<AdminAuditRecord>();

    public DbSet<PseudonymKey> PseudonymKeys => Set<PseudonymKey>();

    public DbSet<AuthenticatorUse> AuthenticatorUses => Set<AuthenticatorUse>();

    public DbSet<ChatMessage> ChatMessages => Set<ChatMessage>();

    public DbSet<AgentPresence> AgentPresence => Set<AgentPresence>();
    public DbSet<Video.Appointment> Appointments => Set<Video.Appointment>();

    public DbSet<Video.AddressBooking> AddressBookings => Set<Video.AddressBooking>();

    public DbSet<Video.OutgoingMail> Outbox => Set<Video.OutgoingMail>();

    public DbSet<Video.CancelledLink> CancelledLinks => Set<Video.CancelledLink>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<ContactSession>(s =>
        {
            s.HasKey(x => x.Id);
            s.Property(x => x.Id).HasMaxLength(64);
            s.Property(x => x.Channel).HasMaxLength(16);
            s.Property(x => x.Purpose).HasMaxLength(100);
            s.Property(x => x.Code).HasMaxLength(16);
            s.HasIndex(x => x.Code).IsUnique();
            s.Property(x => x.ResultKey).HasColumnName("ResultTokenHash");
            s.HasIndex(x => x.ResultKey).IsUnique();
            s.HasIndex(x => x.CallId);
            s.Property(x => x.CallCodeHash).HasMaxLength(64);
            s.Property(x => x.SubjectPseudonym).HasMaxLength(SubjectPseudonyms.Length);
            s.HasIndex(x => x.LastActivityAt);
            // The agent overview: contacts past the Waiting state, newest first, one page at a time, and their count.
            // Partial, so the sessions still waiting for a call (most rows on a busy day) are not in it.
            s.HasIndex(x => new { x.CreatedAt, x.Id }).HasDatabaseName(IncomingIndex).HasFilter($"\"State\" <> {(int)ContactState.Waiting}");
            // The queue, oldest first per channel (the overview's queue panel, "next from the queue", a resident's place):
            // only contacts nobody holds, so it stays as small as the queue however many contacts are live.
            s.HasIndex(x => new { x.Channel, x.CreatedAt }).HasDatabaseName(QueueIndex)
                .HasFilter($"\"State\" = {(int)ContactState.Queued} AND \"AgentId\" IS NULL");
            // Whoever holds a contact has an account (AgentHolds).
            AgentHolds(s.HasOne<Agent>().WithMany().HasForeignKey(x => x.AgentId));
        });
        builder.Entity<CallAttempt>().HasKey(x => x.CallId);
        builder.Entity<ChatMessage>(m =>
        {
            m.HasKey(x => x.Sequence);
            m.Property(x => x.Sequence).ValueGeneratedOnAdd();
            m.Property(x => x.SessionId).HasMaxLength(64);
            m.Property(x => x.ClientId).HasMaxLength(64);
            m.Property(x => x.Sender).HasMaxLength(16);
            m.Property(x => x.Kind).HasMaxLength(32);
            m.Property(x => x.Text).HasMaxLength(ChatTextProtector.MaxStoredLength);
            m.HasIndex(x => new { x.SessionId, x.ClientId }).IsUnique();
        });
        builder.Entity<AgentPresence>(p =>
        {
            p.HasKey(x => x.AgentId);
            // Presence holds no resident: it goes with the account, whenever it was written.
            p.HasOne<Agent>().WithOne().HasForeignKey<AgentPresence>(x => x.AgentId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<WrongCodeWindow>(w =>
        {
            w.HasKey(x => x.Key);
            w.Property(x => x.Key).HasMaxLength(80);
            w.HasIndex(x => x.WindowStart);
        });
        builder.Entity<AuditRecord>(a =>
        {
            a.HasIndex(x => x.SessionId);
            // The retention sweep's DELETE … WHERE At < cutoff, and the access log's newest-first pages.
            a.HasIndex(x => x.At);
            // The access log filters by user name (a deleted agent's id resolves to nothing, its name stays in the log).
            a.HasIndex(x => new { x.AgentName, x.At });
            // One resident's records (an access request by BSN), newest first; most records have none, so partial.
            a.Property(x => x.SubjectPseudonym).HasMaxLength(SubjectPseudonyms.Length);
            a.HasIndex(x => new { x.SubjectPseudonym, x.At }).HasFilter("\"SubjectPseudonym\" IS NOT NULL");
        });
        builder.Entity<PseudonymKey>(k =>
        {
            k.Property(x => x.Id).ValueGeneratedNever();
            k.Property(x => x.Protected).HasMaxLength(1000);
        });
        builder.Entity<AdminAuditRecord>(a =>
        {
            a.HasIndex(x => x.At);
            // Each agent's last sign-in on the admin page (SignInAudit.LastSignInsAsync): the sign-in rows only, covered.
            a.HasIndex(x => new { x.Action, x.AgentId, x.At });
        });
        builder.Entity<AuthenticatorUse>(u =>
        {
            u.HasKey(x => x.AgentId);
            u.HasOne<Agent>().WithMany().HasForeignKey(x => x.AgentId).OnDelete(DeleteBehavior.Cascade);
        });
        Video.AppointmentModel.Configure(builder);
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        await CarryPseudonymsAsync(async: true, cancellationToken);
        return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    // Nothing in the desk saves synchronously, but any caller that does gets the same guarantee. With async false the
    // lookup runs synchronously, so the task is complete when it returns (EF Core's own pattern for its two paths).
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        CarryPseudonymsAsync(async: false, CancellationToken.None).GetAwaiter().GetResult();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    // Every new audit record of a session whose proven data held a BSN gets the session's pseudonym, wherever it is
    // written (take, transfer, hand-back, cancellation, video for a call): one lookup for all of them.
    private async Task CarryPseudonymsAsync(bool async, CancellationToken ct)
    {
        var added = ChangeTracker.Entries<AuditRecord>().Where(e => e.State == EntityState.Added && e.Entity.SubjectPseudonym is null).Select(e => e.Entity).ToList();
        if (added.Count == 0)
        {
            return;
        }

        var ids = added.Select(a => a.SessionId).Distinct().ToList();
        var query = Sessions.AsNoTracking().Where(s => ids.Contains(s.Id) && s.SubjectPseudonym != null).Select(s => new { s.Id, s.SubjectPseudonym });
        var pseudonyms = async ? await query.ToDictionaryAsync(s => s.Id, s => s.SubjectPseudonym, ct) : query.ToDictionary(s => s.Id, s => s.SubjectPseudonym);
        foreach (var record in added)
        {
            record.SubjectPseudonym = pseudonyms.GetValueOrDefault(record.SessionId);
        }
    }

    /// <summary>
    /// A column naming the agent who holds something live (a contact, an appointment) references the account, ON DELETE
    /// NO ACTION: the database orders a take and the account's deletion (<see cref="Admin.AgentRelease"/>) however they
    /// interleave. A take that commits first makes the deletion fail whole, so it is tried again and hands the contact
    /// back; a deletion that commits first makes the take fail (<see cref="StoreErrors.IsForeignKeyViolation"/>). Audit
    /// columns have no such key: their records outlive the account.
    /// Client-side no action either: EF Core must not quietly null a tracked contact of a deleted account, which would
    /// be a hand-back without its audit. (Not RESTRICT: SQLite runs that as a trigger's RAISE, another error code.)
    /// </summary>
    internal static void AgentHolds<TDependent>(ReferenceCollectionBuilder<Agent, TDependent> holder)
        where TDependent : class => holder.OnDelete(DeleteBehavior.ClientNoAction);

    protected override void ConfigureConventions(ModelConfigurationBuilder configuration)
    {
        // SQLite cannot order or compare DateTimeOffset; UTC ticks work on both providers.
        configuration.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
    }

    internal sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.UtcTicks,
        v => new DateTimeOffset(v, TimeSpan.Zero));
}
