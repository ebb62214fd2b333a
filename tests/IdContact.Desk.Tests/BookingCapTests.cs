using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using IdContact.Hosting;
using IdContact.Desk.Sessions;
using IdContact.Desk.Tenants;
using IdContact.Desk.Video;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace IdContact.Desk.Tests;

/// <summary>
/// Booking spam (docs/security.md): at most MaxComingPerEmail (2) coming appointments per e-mail address, at most
/// BookingsPerAddressPerDay bookings per client address a day; a refused booking sends nothing and holds no slot.
/// </summary>
public abstract partial class BookingCapTests<TServer>(TServer desk)
    where TServer : DeskServer
{
    /// <summary>
    /// The cap is no oracle: a booker who types an address that has its two coming appointments is answered exactly as
    /// for one that went through (the redirect, the confirmation page, the booking page and the links after it), while
    /// nothing is booked and only the address learns, by e-mail, that no new appointment was made.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_third_coming_appointment_for_the_same_address_is_answered_as_a_booking_books_nothing_and_mails_the_address(bool english)
    {
        var local = $"cap-{Guid.NewGuid():N}";
        var email = $"{local}@example.nl";
        var query = english ? "?lang=en" : "?lang=nl";
        var slots = await FreeSlotsAsync(desk.TenantA, 4);
        await BookAsync(desk.TenantA, slots[0], email);
        await BookAsync(desk.TenantA, slots[1], $"{local.ToUpperInvariant()}@EXAMPLE.NL");
        var logged = desk.Logs.Messages.Count;

        // The same booker's view of a booking that goes through (another address) and of one the cap refuses.
        var views = new List<BookerView>();
        var third = await ResidentAsync(desk.TenantA);
        foreach (var (resident, slot, address) in new[] { (await ResidentAsync(desk.TenantA), slots[3], $"other-{Guid.NewGuid():N}@example.nl"), (third, slots[2], $" {char.ToUpperInvariant(local[0])}{local[1..]}@Example.nl ") })
        {
            views.Add(await ViewAsync(resident, slot, address, query));
        }

        var (booked, refused) = (views[0], views[1]);
        Assert.Equal(HttpStatusCode.SeeOther, refused.Posted);
        Assert.Equal(booked, refused);
        Assert.Matches($"^/{desk.TenantA}/video/booked/[A-Za-z0-9_-]{{43}}/[A-Za-z0-9_-]{{43}}{Regex.Escape(query)}$", refused.Location);

        // Nothing is booked: no start, desk or place under the cap, and the slot is still free; no confirmation either.
        var row = await BookingRowAsync(desk.TenantA, third);
        Assert.Null(row.Start);
        Assert.Null(row.DeskNumber);
        Assert.Null(row.EmailNumber);
        Assert.StartsWith(AppointmentEmailProtector.Prefix, row.Email, StringComparison.Ordinal);
        await using (var db = desk.Databases.Open(desk.TenantA))
        {
            var hash = await BookingCaps.EmailHashAsync(desk.Hashes, desk.TenantA, email, CancellationToken.None);
            Assert.Equal(2, await db.Appointments.CountAsync(a => a.EmailHash == hash && a.Start != null));
            Assert.False(await db.Outbox.AnyAsync(m => m.AppointmentId == row.Id && m.SendBefore != null));
        }

        Assert.Contains(slots[2], await FreeSlotsOfDayAsync(desk.TenantA, slots[2]));

        // The address gets the e-mail that says so, in the booking's language; the log names no address.
        var notice = await Smtp4dev.WaitForAsync(email, m => m.Subject!.StartsWith(english ? "No new video appointment" : "Geen nieuwe videoafspraak", StringComparison.Ordinal));
        Assert.Contains(english ? "already has 2 coming video appointments" : "heeft al 2 komende videoafspraken", notice.TextBody, StringComparison.Ordinal);
        Assert.Contains(english ? "Cancel the appointment" : "Afspraak annuleren", notice.TextBody, StringComparison.Ordinal);
        Assert.Equal(2, notice.TextBody!.Split('\n').Count(l => l.StartsWith("- ", StringComparison.Ordinal)));
        Assert.Equal(2, (await Smtp4dev.AllAsync(email)).Count(m => m.Subject!.StartsWith("Uw videoafspraak", StringComparison.Ordinal)));
        Assert.DoesNotContain(desk.Logs.Messages.Skip(logged), m => m.Contains(local, StringComparison.OrdinalIgnoreCase));

        // Retention keeps it as long as a booking, past its booking page's time.
        var later = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(3));
        await desk.Retention(later).SweepAsync(CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, (await third.Client.GetAsync(refused.Location)).StatusCode);

        // Cancelled with its link as a booking is; the address gets no cancellation of an appointment it never had.
        var cancelUrl = refused.CancelUrl;
        var resident3 = new Resident(new Uri(desk.Server.BaseUrl), cancelUrl);
        var ask = await resident3.Client.GetStringAsync(cancelUrl);
        Assert.Equal(HttpStatusCode.SeeOther, (await resident3.PostFormAsync(cancelUrl, ask)).StatusCode);
        Assert.DoesNotContain(await Smtp4dev.AllAsync(email), m => m.Subject!.StartsWith(english ? "Cancelled" : "Geannuleerd", StringComparison.Ordinal));
    }

    /// <summary>What a booker sees of a booking: the post's answer, the confirmation, the booking page again, the links.</summary>
    private sealed record BookerView(HttpStatusCode Posted, HttpStatusCode Confirmation, string Page, HttpStatusCode Again, string AgainPage, HttpStatusCode Join, HttpStatusCode Cancel)
    {
        public string Location { get; init; } = "";

        public string CancelUrl { get; init; } = "";

        public bool Equals(BookerView? other) => other is not null && (Posted, Confirmation, Page, Again, AgainPage, Join, Cancel) == (other.Posted, other.Confirmation, other.Page, other.Again, other.AgainPage, other.Join, other.Cancel);

        public override int GetHashCode() => HashCode.Combine(Posted, Confirmation, Page, Again, AgainPage, Join, Cancel);
    }

    private async Task<BookerView> ViewAsync(Resident resident, long slot, string email, string query)
    {
        var posted = await resident.BookAsync(slot, email, query);
        var location = posted.Headers.Location?.OriginalString ?? "";
        var confirmation = await resident.Client.GetAsync(location);
        var page = await confirmation.Content.ReadAsStringAsync();
        var again = await resident.Client.GetAsync(resident.PageUrl + query);
        var link = LinkOnPage().Match(page).Groups[1].Value;
        var cancel = CancelOnPage().Match(page).Groups[1].Value;
        return new BookerView(
            posted.StatusCode, confirmation.StatusCode, Masked(page), again.StatusCode, Masked(await again.Content.ReadAsStringAsync()),
            (await resident.Client.GetAsync(new Uri(link).PathAndQuery)).StatusCode, (await resident.Client.GetAsync(new Uri(cancel).PathAndQuery)).StatusCode)
        {
            Location = location,
            CancelUrl = new Uri(cancel).PathAndQuery,
        };
    }

    /// <summary>A page without what differs between any two bookings: the tokens, the time, the calendar file.</summary>
    private static string Masked(string html) => Ids().Replace(Times().Replace(Calendar().Replace(html, "ics"), "time"), "id");

    private async Task<List<long>> FreeSlotsOfDayAsync(string tenant, long slot)
    {
        var resident = await ResidentAsync(tenant);
        await resident.LoadAsync("?date=" + BookingCaps.Day(DateTimeOffset.FromUnixTimeSeconds(slot)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        var (_, html) = await resident.FirstSlotAsync();
        return SlotValue().Matches(html).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
    }

    /// <summary>The booking answered as made, holding nothing (AppointmentStore.IsStandIn).</summary>
    private async Task RefusedAsync(string tenant, long slot, string email)
    {
        var resident = await ResidentAsync(tenant);
        Assert.Equal(HttpStatusCode.SeeOther, (await resident.BookAsync(slot, email)).StatusCode);
        var row = await BookingRowAsync(tenant, resident);
        Assert.True(row.Start is null && row.EmailNumber is null && row.LinkHash is not null, "not a stand-in");
    }

    /// <summary>
    /// Spellings the mail path delivers to the same mailbox: a full-width domain is sent as its IDNA (ASCII) form, a quoted
    /// local part that needs no quotes is the bare one. Each used to be a fresh cap for the victim's inbox.
    /// </summary>
    [Theory]
    [InlineData("\"{0}\"@example.nl")]
    [InlineData("{0}@ｅｘａｍｐｌｅ.nl")]
    [InlineData("\"{0}\"@ＥＸＡＭＰＬＥ.nl")]
    public async Task Another_spelling_of_the_same_mailbox_counts_under_the_same_cap(string spelling)
    {
        var local = $"spel-{Guid.NewGuid():N}";
        var slots = await FreeSlotsAsync(desk.TenantA, 3);
        await BookAsync(desk.TenantA, slots[0], $"{local}@example.nl");
        await BookAsync(desk.TenantA, slots[1], $"{local}@example.nl");

        await RefusedAsync(desk.TenantA, slots[2], string.Format(CultureInfo.InvariantCulture, spelling, local));
    }

    /// <summary>
    /// A domain typed as punycode is the form the relay is given anyway: accepted as the Unicode form is, and one mailbox
    /// with it under the cap.
    /// </summary>
    [Theory]
    [InlineData("{0}@xn--bcher-kva.example", "{0}@bücher.example")]
    [InlineData("{0}@bücher.example", "{0}@XN--BCHER-KVA.example")]
    public async Task A_domain_typed_as_punycode_is_accepted_and_one_mailbox_with_its_unicode_form(string first, string then)
    {
        var local = $"idn-{Guid.NewGuid():N}";
        string First() => string.Format(CultureInfo.InvariantCulture, first, local);
        string Then() => string.Format(CultureInfo.InvariantCulture, then, local);
        Assert.True(VideoEndpoints.IsEmail(First()));
        Assert.True(VideoEndpoints.IsEmail(Then()));
        Assert.Equal(BookingCaps.NormaliseEmail(First()), BookingCaps.NormaliseEmail(Then()));

        var slots = await FreeSlotsAsync(desk.TenantA, 3);
        await BookAsync(desk.TenantA, slots[0], First());
        await BookAsync(desk.TenantA, slots[1], First());
        await RefusedAsync(desk.TenantA, slots[2], Then());
    }

    /// <summary>An address literal is no resident's address: the relay would be asked to connect to a host the booker picks.</summary>
    [Fact]
    public async Task An_address_literal_is_not_an_email_address()
    {
        var slots = await FreeSlotsAsync(desk.TenantA, 1);
        var refused = await (await ResidentAsync(desk.TenantA)).BookAsync(slots[0], $"lit-{Guid.NewGuid():N}@[192.0.2.10]");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    [Fact]
    public async Task A_cancelled_or_past_appointment_frees_its_place_under_the_cap()
    {
        var email = $"vrij-{Guid.NewGuid():N}@example.nl";
        var slots = await FreeSlotsAsync(desk.TenantA, 4);
        var first = await BookAsync(desk.TenantA, slots[0], email);
        var second = await BookAsync(desk.TenantA, slots[1], email);
        await RefusedAsync(desk.TenantA, slots[2], email);

        // Cancelled with the e-mail's link: a new appointment fits.
        Assert.True(await desk.Cancellation(TimeProvider.System).CancelByLinkAsync(desk.TenantA, CancelToken(first), CancellationToken.None));
        await BookAsync(desk.TenantA, slots[2], email);
        await RefusedAsync(desk.TenantA, slots[3], email);

        // One that has ended counts no longer either.
        var linkHash = Secrets.Hash(LinkToken(second));
        var past = DateTimeOffset.UtcNow.AddDays(-1).AddSeconds(-Random.Shared.Next(100_000));
        await using (var db = desk.Databases.Open(desk.TenantA))
        {
            DateTimeOffset? start = past, end = past.AddMinutes(30);
            Assert.Equal(1, await db.Appointments.Where(a => a.LinkHash == linkHash)
                .ExecuteUpdateAsync(u => u.SetProperty(a => a.Start, start).SetProperty(a => a.End, end), CancellationToken.None));
        }

        await BookAsync(desk.TenantA, slots[3], email);
    }

    [Fact]
    public async Task Bookings_racing_for_an_addresses_last_places_get_exactly_the_cap()
    {
        var email = $"race-{Guid.NewGuid():N}@example.nl";
        var slots = await FreeSlotsAsync(desk.TenantB, 6);
        var residents = new List<Resident>();
        foreach (var _ in slots)
        {
            residents.Add(await ResidentAsync(desk.TenantB));
        }

        var answers = await Task.WhenAll(residents.Select((r, i) => r.BookAsync(slots[i], i % 2 == 0 ? email : email.ToUpperInvariant())));
        // All are answered as bookings (the cap is no oracle); two are.
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.SeeOther, a.StatusCode));
        await using var db = desk.Databases.Open(desk.TenantB);
        var hash = await BookingCaps.EmailHashAsync(desk.Hashes, desk.TenantB, email, CancellationToken.None);
        Assert.Equal(2, await db.Appointments.CountAsync(a => a.EmailHash == hash && a.Start != null));
    }

    [Fact]
    public async Task One_client_address_books_at_most_the_days_cap()
    {
        var slots = await FreeSlotsAsync(desk.TenantD, DeskServer.BookingsPerAddressD + 1);
        await using (var db = desk.Databases.Open(desk.TenantD))
        {
            // Another test class of this fixture does not book in D; this test's own rows start it at zero.
            Assert.Equal(0, await db.AddressBookings.CountAsync());
        }

        for (var i = 0; i < DeskServer.BookingsPerAddressD; i++)
        {
            await BookAsync(desk.TenantD, slots[i], $"dag-{i}-{Guid.NewGuid():N}@example.nl");
        }

        var resident = await ResidentAsync(desk.TenantD);
        var email = $"dag-te-veel-{Guid.NewGuid():N}@example.nl";
        var refused = await resident.BookAsync(slots[^1], email, "?lang=en");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("Too many video appointments were booked from your internet address today", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null((await BookingRowAsync(desk.TenantD, resident)).Start);
        Assert.Equal(0, await Smtp4dev.CountAsync(email));
    }

    [Fact]
    public async Task Retention_deletes_the_per_address_counts_of_past_days()
    {
        var hash = await BookingCaps.AddressHashAsync(desk.Hashes, desk.TenantA, "retention-" + Guid.NewGuid(), CancellationToken.None);
        var today = BookingCaps.Day(DateTimeOffset.UtcNow);
        await using (var db = desk.Databases.Open(desk.TenantA))
        {
            db.AddressBookings.Add(new AddressBooking { AddressHash = hash, Day = today.AddDays(-1), Number = 1 });
            db.AddressBookings.Add(new AddressBooking { AddressHash = hash, Day = today, Number = 1 });
            await db.SaveChangesAsync();
        }

        await desk.Retention(TimeProvider.System).SweepAsync(CancellationToken.None);
        await using (var db = desk.Databases.Open(desk.TenantA))
        {
            Assert.Equal([today], await db.AddressBookings.Where(b => b.AddressHash == hash).Select(b => b.Day).ToListAsync());
        }
    }

    [Fact]
    public async Task The_caps_store_keyed_hashes_of_the_e_mail_and_client_address_that_differ_per_tenant()
    {
        var email = $"Sleutel-{Guid.NewGuid():N}@example.nl";
        var client = ClientAddress.Key("127.0.0.1");
        var today = BookingCaps.Day(DateTimeOffset.UtcNow);
        var hashes = new List<string>();
        foreach (var tenant in new[] { desk.TenantA, desk.TenantB })
        {
            await BookAsync(tenant, (await FreeSlotsAsync(tenant, 1))[0], email);
            var stored = Assert.Single(await desk.AppointmentsOfAsync(tenant, email)).EmailHash;
            await using var db = desk.Databases.Open(tenant);
            Assert.Equal(await BookingCaps.EmailHashAsync(desk.Hashes, tenant, email, CancellationToken.None), stored);
            Assert.NotEqual(Secrets.Hash("email\n" + BookingCaps.NormaliseEmail(email)), stored, StringComparer.OrdinalIgnoreCase);

            var address = await BookingCaps.AddressHashAsync(desk.Hashes, tenant, client, CancellationToken.None);
            Assert.True(await db.AddressBookings.AnyAsync(b => b.AddressHash == address && b.Day == today));
            Assert.NotEqual(BookingCaps.LegacyAddressHash(client), address, StringComparer.OrdinalIgnoreCase);
            hashes.AddRange([stored!, address]);
        }

        Assert.Equal(hashes.Count, hashes.Distinct().Count());
    }

    [Fact]
    public async Task E_mail_places_an_older_version_stored_unkeyed_still_count_after_start_up()
    {
        var email = $"oud-{Guid.NewGuid():N}@example.nl";
        var slots = await FreeSlotsAsync(desk.TenantA, 3);
        await BookAsync(desk.TenantA, slots[0], email);
        await BookAsync(desk.TenantA, slots[1], email);
        var legacy = Secrets.Hash("email\n" + email);
        var ids = (await desk.AppointmentsOfAsync(desk.TenantA, email)).Select(a => a.Id).ToList();
        await using (var db = desk.Databases.Open(desk.TenantA))
        {
            Assert.Equal(2, await db.Appointments.Where(a => ids.Contains(a.Id)).ExecuteUpdateAsync(u => u.SetProperty(a => a.EmailHash, legacy)));
        }

        // The upgraded server starts: the places are rehashed from the addresses their rows keep.
        await new DeskStartup(desk.Databases, null, desk.Hashes, desk.Emails).StartAsync(CancellationToken.None);
        await RefusedAsync(desk.TenantA, slots[2], email);
        var keyed = await BookingCaps.EmailHashAsync(desk.Hashes, desk.TenantA, email, CancellationToken.None);
        Assert.Equal([keyed, keyed], (await desk.AppointmentsOfAsync(desk.TenantA, email)).Select(a => a.EmailHash));
    }

    /// <summary>
    /// Addresses an older version stored in the clear: read as they are (the cancellation goes to it), counted under the
    /// cap, and encrypted at start-up, once (docs/operations.md, upgrade note).
    /// </summary>
    [Fact]
    public async Task An_address_an_older_version_stored_in_the_clear_is_mailed_counted_and_encrypted_at_start_up()
    {
        var email = $"klaar-{Guid.NewGuid():N}@example.nl";
        var slots = await FreeSlotsAsync(desk.TenantA, 4);
        var first = await BookAsync(desk.TenantA, slots[0], email);
        await BookAsync(desk.TenantA, slots[1], email);
        await InTheClearAsync(email);

        // Cancelled by its link while still in the clear: the cancellation goes to the address, the place is free again.
        var resident = new Resident(new Uri(desk.Server.BaseUrl), $"/{desk.TenantA}/video/cancel/{CancelToken(first)}");
        var ask = await resident.Client.GetStringAsync(resident.PageUrl);
        Assert.Equal(HttpStatusCode.SeeOther, (await resident.PostFormAsync(resident.PageUrl, ask)).StatusCode);
        Assert.Equal(email, Assert.Single((await Smtp4dev.WaitForAsync(email, m => m.Subject!.StartsWith("Geannuleerd", StringComparison.Ordinal))).To.Mailboxes).Address);
        await BookAsync(desk.TenantA, slots[2], email);

        // One place held by the clear row, one by an encrypted one: the cap counts both.
        await RefusedAsync(desk.TenantA, slots[3], email);

        // The encrypted one under the unkeyed hash of before: the start-up's rehash has to open the address.
        await using (var db = desk.Databases.Open(desk.TenantA))
        {
            var legacy = Secrets.Hash("email\n" + email);
            var encrypted = (await desk.AppointmentsOfAsync(desk.TenantA, email)).Single(a => a.Email!.StartsWith(AppointmentEmailProtector.Prefix, StringComparison.Ordinal)).Id;
            Assert.Equal(1, await db.Appointments.Where(a => a.Id == encrypted).ExecuteUpdateAsync(u => u.SetProperty(a => a.EmailHash, legacy)));
        }

        // The upgraded server starts: the clear address is encrypted and its place rehashed; a second start changes nothing.
        await new DeskStartup(desk.Databases, null, desk.Hashes, desk.Emails).StartAsync(CancellationToken.None);
        var keyed = await BookingCaps.EmailHashAsync(desk.Hashes, desk.TenantA, email, CancellationToken.None);
        var held = await desk.AppointmentsOfAsync(desk.TenantA, email);
        Assert.Equal(2, held.Count);
        Assert.All(held, a => Assert.StartsWith(AppointmentEmailProtector.Prefix, a.Email, StringComparison.Ordinal));
        Assert.All(held, a => Assert.Equal(keyed, a.EmailHash));
        await using (var db = desk.Databases.Open(desk.TenantA))
        {
            Assert.Equal((0, 0), await AppointmentStartUp.RunAsync(db, desk.TenantA, desk.Emails, await desk.Hashes.KeyAsync(desk.TenantA, CancellationToken.None), DateTimeOffset.UtcNow, CancellationToken.None));
            Assert.False(await db.Appointments.AnyAsync(a => a.Email == email));
        }

        await RefusedAsync(desk.TenantA, slots[3], email);
    }

    /// <summary>Writes <paramref name="email"/>'s coming appointments back as an older version stored them: the address in the clear.</summary>
    private async Task InTheClearAsync(string email)
    {
        var ids = (await desk.AppointmentsOfAsync(desk.TenantA, email)).Select(a => a.Id).ToList();
        await using var db = desk.Databases.Open(desk.TenantA);
        Assert.Equal(ids.Count, await db.Appointments.Where(a => ids.Contains(a.Id)).ExecuteUpdateAsync(u => u.SetProperty(a => a.Email, email)));
    }

    [Fact]
    public async Task A_days_place_an_older_version_stored_unkeyed_still_counts_that_day()
    {
        var client = ClientAddress.Key("127.0.0.1");
        var today = BookingCaps.Day(DateTimeOffset.UtcNow);
        var keyed = await BookingCaps.AddressHashAsync(desk.Hashes, desk.TenantB, client, CancellationToken.None);
        int before;
        await using (var db = desk.Databases.Open(desk.TenantB))
        {
            before = await db.AddressBookings.CountAsync(b => b.AddressHash == keyed && b.Day == today);
            db.AddressBookings.Add(new AddressBooking { AddressHash = BookingCaps.LegacyAddressHash(client), Day = today, Number = 99_999 });
            await db.SaveChangesAsync();
        }

        // The place taken is the one after all held today, the unkeyed one included.
        await BookAsync(desk.TenantB, (await FreeSlotsAsync(desk.TenantB, 1))[0], $"dag-oud-{Guid.NewGuid():N}@example.nl");
        await using (var db = desk.Databases.Open(desk.TenantB))
        {
            Assert.Equal(before + 2, await db.AddressBookings.Where(b => b.AddressHash == keyed && b.Day == today).MaxAsync(b => b.Number));
        }
    }

    /// <summary>
    /// Distinct free slots of tomorrow (today may be nearly over), picked at random so other tests' bookings rarely meet
    /// them; never the last of a day, which VideoAppointmentTests races for.
    /// </summary>
    private async Task<List<long>> FreeSlotsAsync(string tenant, int count)
    {
        var resident = await ResidentAsync(tenant);
        var (_, html) = await resident.FirstSlotAsync();
        await resident.LoadAsync("?date=" + DayOption().Matches(html)[1].Groups[1].Value);
        (_, html) = await resident.FirstSlotAsync();
        var free = SlotValue().Matches(html).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).SkipLast(1).ToList();
        Assert.True(free.Count >= count, "too few free slots tomorrow");
        return free.OrderBy(_ => Random.Shared.Next()).Take(count).ToList();
    }

    /// <summary>Books as a browser does and answers the confirmation page.</summary>
    private async Task<string> BookAsync(string tenant, long slot, string email)
    {
        var resident = await ResidentAsync(tenant);
        var response = await resident.BookAndFollowAsync(slot, email);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<Appointment> BookingRowAsync(string tenant, Resident resident)
    {
        var hash = Secrets.Hash(resident.PageUrl[(resident.PageUrl.LastIndexOf('/') + 1)..]);
        await using var db = desk.Databases.Open(tenant);
        return await db.Appointments.AsNoTracking().SingleAsync(a => a.BookingHash == hash);
    }

    private async Task<Resident> ResidentAsync(string tenant)
    {
        var response = await desk.Server.Client.PostAsJsonAsync($"/{tenant}/video/start_communication", new { purpose = "report_move" });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var resident = new Resident(new Uri(desk.Server.BaseUrl), body.GetProperty("client_url").GetString()!);
        await resident.LoadAsync();
        return resident;
    }

    private static string CancelToken(string confirmation) => Last(CancelOnPage().Match(confirmation).Groups[1].Value);

    private static string LinkToken(string confirmation) => Last(LinkOnPage().Match(confirmation).Groups[1].Value);

    private static string Last(string url) => url[(url.LastIndexOf('/') + 1)..].Split('?')[0];

    [GeneratedRegex("name=\"slot\" value=\"([0-9]+)\"")]
    private static partial Regex SlotValue();

    [GeneratedRegex("<option value=\"([0-9]{4}-[0-9]{2}-[0-9]{2})\"")]
    private static partial Regex DayOption();

    [GeneratedRegex("id=\"link\" href=\"([^\"]+)\"")]
    private static partial Regex LinkOnPage();

    [GeneratedRegex("id=\"cancel\" href=\"([^\"]+)\"")]
    private static partial Regex CancelOnPage();

    [GeneratedRegex("[A-Za-z0-9_-]{43}")]
    private static partial Regex Ids();

    [GeneratedRegex("(maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) [0-9]{1,2} [A-Za-z]+ [0-9]{4} (om|at) [0-9]{2}:[0-9]{2}")]
    private static partial Regex Times();

    [GeneratedRegex("data:text/calendar[^\"]*")]
    private static partial Regex Calendar();
}

public sealed class SqliteBookingCapTests(SqliteDeskServer desk) : BookingCapTests<SqliteDeskServer>(desk), IClassFixture<SqliteDeskServer>;

public sealed class PostgresBookingCapTests(PostgresDeskServer desk) : BookingCapTests<PostgresDeskServer>(desk), IClassFixture<PostgresDeskServer>;
