using System.Diagnostics;
using IdContact.Desk.Sessions;
using IdContact.Desk.Tenants;
using IdContact.Desk.Video;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace IdContact.Desk.Tests;

/// <summary>
/// The start-up pass over appointments (DeskStartup): it opens only what needs it, the coming appointments' cap places
/// and rows still in the clear, so a start costs the same however many ended appointments retention still keeps.
/// Prints how long a start with 2,000 appointments takes (docs/operations.md).
/// </summary>
public abstract class StartUpPassTests<TServer>(TServer desk, ITestOutputHelper output)
    where TServer : DeskServer
{
    [Fact]
    public async Task The_start_up_pass_rehashes_coming_places_only_and_a_start_with_2000_appointments_is_timed()
    {
        var tenant = desk.TenantB;
        var run = Guid.NewGuid().ToString("N")[..12];
        var key = (await desk.Hashes.KeyAsync(tenant, CancellationToken.None))!;
        var now = DateTimeOffset.UtcNow;
        string ended = $"su-{run}-ended-0", coming = $"su-{run}-coming-0";
        await using (var db = desk.Databases.Open(tenant))
        {
            // 1,900 ended and 100 coming appointments, all as this version writes them (encrypted, keyed hash). Neither
            // takes a desk, so no other test's slot goes.
            for (var i = 0; i < 2000; i++)
            {
                var past = i < 1900;
                var email = $"su-{run}-{i}@example.nl";
                var start = past ? now.AddDays(-1).AddMinutes(-i) : now.AddDays(30).AddMinutes(i);
                db.Appointments.Add(new Appointment
                {
                    Id = past ? $"su-{run}-ended-{i}" : $"su-{run}-coming-{i - 1900}",
                    SessionId = $"su-{run}-{i}",
                    Purpose = "report_move",
                    BookingExpiresAt = start,
                    Start = start,
                    End = start.AddMinutes(15),
                    Email = desk.Emails.Protect(tenant, email),
                    EmailHash = IdentifierHashes.Of(key, "email", BookingCaps.NormaliseEmail(email)),
                    EmailNumber = 1,
                    CreatedAt = now,
                });
            }

            await db.SaveChangesAsync();

            // One place of each kind under the unkeyed hash of an older version, and a coming one's address in the clear.
            foreach (var id in new[] { ended, coming })
            {
                await db.Appointments.Where(a => a.Id == id).ExecuteUpdateAsync(u => u.SetProperty(a => a.EmailHash, "legacy-" + id));
            }

            await db.Appointments.Where(a => a.Id == $"su-{run}-coming-1").ExecuteUpdateAsync(u => u.SetProperty(a => a.Email, $"su-{run}-1901@example.nl").SetProperty(a => a.EmailHash, "legacy"));
        }

        try
        {
            var startUp = new DeskStartup(desk.Databases, null, desk.Hashes, desk.Emails);
            // Two instances starting at once: each row is written once, neither start fails.
            var both = await Task.WhenAll(
                new DeskStartup(desk.Databases, null, desk.Hashes, desk.Emails).StartAsync(CancellationToken.None),
                new DeskStartup(desk.Databases, null, desk.Hashes, desk.Emails).StartAsync(CancellationToken.None)).ContinueWith(t => t.Status);
            Assert.Equal(TaskStatus.RanToCompletion, both);
            var times = new List<long>();
            for (var i = 0; i < 3; i++)
            {
                var clock = Stopwatch.StartNew();
                await startUp.StartAsync(CancellationToken.None);
                times.Add(clock.ElapsedMilliseconds);
            }

            output.WriteLine($"{typeof(TServer).Name}: start-up with 2,000 appointments (1,900 ended), three starts: {string.Join(" / ", times)} ms");

            // The coming place is rehashed; the ended one is left alone (its place counts for nothing any more).
            await using var check = desk.Databases.Open(tenant);
            Assert.Equal(
                IdentifierHashes.Of(key, "email", $"su-{run}-1900@example.nl"),
                await check.Appointments.Where(a => a.Id == coming).Select(a => a.EmailHash).SingleAsync());
            Assert.Equal("legacy-" + ended, await check.Appointments.Where(a => a.Id == ended).Select(a => a.EmailHash).SingleAsync());
            var clear = await check.Appointments.AsNoTracking().SingleAsync(a => a.Id == $"su-{run}-coming-1");
            Assert.Equal($"su-{run}-1901@example.nl", desk.Emails.Reveal(tenant, clear.Id, clear.Email));
            Assert.StartsWith(AppointmentEmailProtector.Prefix, clear.Email, StringComparison.Ordinal);
            Assert.Equal(IdentifierHashes.Of(key, "email", $"su-{run}-1901@example.nl"), clear.EmailHash);
        }
        finally
        {
            await using var db = desk.Databases.Open(tenant);
            await db.Appointments.Where(a => a.Id.StartsWith($"su-{run}-")).ExecuteDeleteAsync();
        }
    }
}

public sealed class SqliteStartUpPassTests(SqliteDeskServer desk, ITestOutputHelper output) : StartUpPassTests<SqliteDeskServer>(desk, output), IClassFixture<SqliteDeskServer>;

public sealed class PostgresStartUpPassTests(PostgresDeskServer desk, ITestOutputHelper output) : StartUpPassTests<PostgresDeskServer>(desk, output), IClassFixture<PostgresDeskServer>;
