using IdContact.Desk.Agents;
using IdContact.Desk.Tenants;
using Microsoft.EntityFrameworkCore;

namespace IdContact.Desk.Video;

/// <summary>The appointment tables in the tenant's database.</summary>
internal static class AppointmentModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<Appointment>(a =>
        {
            a.HasKey(x => x.Id);
            a.Property(x => x.Id).HasMaxLength(64);
            a.Property(x => x.SessionId).HasMaxLength(64);
            a.Property(x => x.Purpose).HasMaxLength(100);
            a.Property(x => x.Email).HasMaxLength(AppointmentEmailProtector.MaxStoredLength);
            a.Property(x => x.PlannedBy).HasMaxLength(16);
            a.Property(x => x.Language).HasMaxLength(8).HasDefaultValue(AppointmentMail.Dutch);
            a.HasIndex(x => x.BookingHash).IsUnique();
            a.HasIndex(x => x.LinkHash).IsUnique();
            a.HasIndex(x => x.CancelHash).IsUnique();
            // The database decides who gets the last place of a slot: one row per (start, desk). NULL desks (agent-planned) never collide.
            a.HasIndex(x => new { x.Start, x.DeskNumber }).IsUnique();
            a.HasIndex(x => x.End);
            // One appointment per planning form, across instances: the database refuses the second.
            a.Property(x => x.PlanKey).HasMaxLength(64);
            a.HasIndex(x => x.PlanKey).IsUnique();
            a.Property(x => x.EmailHash).HasMaxLength(64);
            // The database decides who gets an address's last place, as for a slot's: one row per (address, place).
            a.HasIndex(x => new { x.EmailHash, x.EmailNumber }).IsUnique();
            DeskDbContext.AgentHolds(a.HasOne<Agent>().WithMany().HasForeignKey(x => x.AgentId));
        });
        builder.Entity<AddressBooking>(b =>
        {
            b.HasKey(x => new { x.AddressHash, x.Day, x.Number });
            b.Property(x => x.AddressHash).HasMaxLength(64);
            b.HasIndex(x => x.Day);
        });
        builder.Entity<CancelledLink>(c =>
        {
            c.HasKey(x => x.Hash);
            c.Property(x => x.Hash).HasMaxLength(64);
            c.HasIndex(x => x.Until);
        });
        builder.Entity<OutgoingMail>(m =>
        {
            m.HasKey(x => x.Id);
            m.Property(x => x.Id).HasMaxLength(64);
            m.Property(x => x.AppointmentId).HasMaxLength(64);
            m.Property(x => x.LastError).HasMaxLength(200);
            m.HasIndex(x => x.AppointmentId);
            m.HasIndex(x => x.NextAttemptAt);
            m.HasIndex(x => x.SendBefore);
        });
    }
}
