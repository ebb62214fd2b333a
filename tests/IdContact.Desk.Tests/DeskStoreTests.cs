using System.Net;
using System.Net.Http.Json;
using System.Text;
using IdContact.Desk.Agents;
using IdContact.Desk.Exchange;
using IdContact.Desk.Retention;
using IdContact.Desk.Sessions;
using IdContact.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IdContact.Desk.Tests;

/// <summary>The desk's sessions, exchange API and retention, run once per database provider.</summary>
public abstract partial class DeskStoreTests<TServer>(TServer desk)
    where TServer : DeskServer
{
    [Fact]
    public async Task Phone_start_gives_number_code_and_unguessable_attr_url_with_unique_codes()
    {
        var codes = new HashSet<string>();
        for (var i = 0; i < 30; i++)
        {
            var (code, attrUrl, tel) = await desk.StartPhoneAsync(desk.TenantA);
            Assert.Matches("^tel:\\+31201111111,,[0-9]{6}$", tel);
            Assert.True(codes.Add(code), "codes of live sessions must be unique");
            Assert.Matches($"/{desk.TenantA}/phone/attr/[A-Za-z0-9_-]{{22,}}$", attrUrl);
        }

        // The length is the tenant's own (Desk:DtmfLength).
        var (_, _, longer) = await desk.StartPhoneAsync(desk.TenantD);
        Assert.Matches($"^tel:\\+31204444444,,[0-9]{{{DeskServer.DtmfLengthD}}}$", longer);
    }

    [Theory]
    [InlineData("{\"purpose\":\"nope\"}", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("{\"purpose\":", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("purpose=report_move", "text/plain", HttpStatusCode.UnsupportedMediaType)]
    public async Task Bad_phone_starts_are_4xx(string body, string contentType, HttpStatusCode expected)
    {
        var response = await desk.Server.Client.PostAsync($"/{desk.TenantA}/phone/start_communication", new StringContent(body, Encoding.UTF8, contentType));
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task A_session_takes_one_valid_result_and_a_replay_is_refused()
    {
        var (_, attrUrl, _) = await desk.StartPhoneAsync(desk.TenantA);
        var token = desk.Token("Jan de Vries");
        Assert.Equal(HttpStatusCode.OK, (await desk.PostTokenAsync(attrUrl, token)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await desk.PostTokenAsync(attrUrl, desk.Token("Piet"))).StatusCode);

        var (_, other, _) = await desk.StartPhoneAsync(desk.TenantA);
        Assert.Equal(HttpStatusCode.Conflict, (await desk.PostTokenAsync(other, token)).StatusCode);
    }

    [Fact]
    public async Task A_session_whose_claim_was_cut_off_before_storing_takes_its_result_again_and_no_other_session_does()
    {
        var (_, attrUrl, _) = await desk.StartPhoneAsync(desk.TenantA);
        var sessionId = attrUrl.Split('/').Last();
        var token = desk.Token("Jan Onderbroken");
        // As a process killed between the claim (installation database) and the store (tenant database) leaves it.
        var opened = desk.Server.App.Services.GetRequiredService<DeskKeys>().Open(desk.TenantA, token);
        var usedResults = desk.Server.App.Services.GetRequiredService<UsedResults>();
        Assert.True(await usedResults.TryClaimAsync(opened.ReplayKey!, UsedResults.Holder(desk.TenantA, sessionId), opened.ExpiresAt!.Value, CancellationToken.None));

        var (_, other, _) = await desk.StartPhoneAsync(desk.TenantA);
        Assert.Equal(HttpStatusCode.Conflict, (await desk.PostTokenAsync(other, token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await desk.PostTokenAsync(attrUrl, token)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await desk.PostTokenAsync(attrUrl, token)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await desk.PostTokenAsync(other, token)).StatusCode);

        // Retries racing each other on one session: one stores it, and the losers do not give the claim back.
        var (_, racing, _) = await desk.StartPhoneAsync(desk.TenantA);
        var raced = desk.Token("Jan Tegelijk");
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => desk.PostTokenAsync(racing, raced)));
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        var (_, third, _) = await desk.StartPhoneAsync(desk.TenantA);
        Assert.Equal(HttpStatusCode.Conflict, (await desk.PostTokenAsync(third, raced)).StatusCode);
    }

    [Fact]
    public async Task A_result_is_used_once_in_the_whole_installation_however_it_is_spelled()
    {
        // A name of its own: RS256 is deterministic, so the same claims in the same second are the same result.
        var token = desk.Token("Jan Eenmalig");
        var (_, inA, _) = await desk.StartPhoneAsync(desk.TenantA);
        Assert.Equal(HttpStatusCode.OK, (await desk.PostTokenAsync(inA, token)).StatusCode);

        // Another municipality sharing the decryption key refuses the very same result.
        var (_, inB, _) = await desk.StartPhoneAsync(desk.TenantB);
        var replayed = await desk.PostTokenAsync(inB, token);
        Assert.Equal(HttpStatusCode.Conflict, replayed.StatusCode);
        Assert.Contains("replayed", await replayed.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);

        // The same result with other unused base64url bits in the JWE's last part: another string, the same result.
        var respelled = WithOtherPaddingBits(token);
        Assert.NotEqual(token, respelled);
        var (_, again, _) = await desk.StartPhoneAsync(desk.TenantA);
        var second = await desk.PostTokenAsync(again, respelled);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("replayed", await second.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Failed_results_issued_in_the_same_second_are_no_replays_of_each_other()
    {
        // Every failed result of one second is the same signed content; it proves nothing, so each session takes one.
        var now = DateTimeOffset.UtcNow;
        var signer = desk.TestKey;
        foreach (var tenant in new[] { desk.TenantA, desk.TenantA, desk.TenantB })
        {
            var (_, attrUrl, _) = await desk.StartPhoneAsync(tenant);
            var failed = Protocol.Tokens.AuthResultToken.Issue(Protocol.Tokens.AuthResult.Failure(), signer, desk.DeskKey.PublicKey, now);
            Assert.Equal(HttpStatusCode.OK, (await desk.PostTokenAsync(attrUrl, failed)).StatusCode);
        }
    }

    [Fact]
    public async Task A_municipality_with_its_own_decryption_key_takes_only_results_encrypted_to_it()
    {
        var (_, shared, _) = await desk.StartPhoneAsync(desk.TenantD);
        Assert.Equal(HttpStatusCode.BadRequest, (await desk.PostTokenAsync(shared, desk.Token("Voor de gedeelde sleutel"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await desk.PostTokenAsync(shared, desk.Token("Voor C", recipient: desk.TenantDKey))).StatusCode);

        // And its results mean nothing to the others.
        var (_, inA, _) = await desk.StartPhoneAsync(desk.TenantA);
        Assert.Equal(HttpStatusCode.BadRequest, (await desk.PostTokenAsync(inA, desk.Token("Voor C", recipient: desk.TenantDKey))).StatusCode);
    }

    [Fact]
    public async Task An_unknown_session_is_404_before_anything_is_decrypted()
    {
        var (_, attrUrl, _) = await desk.StartPhoneAsync(desk.TenantA);
        // Garbage would be a 400 if the desk tried to decrypt it first.
        Assert.Equal(HttpStatusCode.NotFound, (await desk.PostTokenAsync(attrUrl + "x", "garbage")).StatusCode);
    }

    [Fact]
    public async Task The_agent_sees_which_method_proved_the_data_and_test_data_is_marked_without_external_link()
    {
        var query = desk.Server.App.Services.GetRequiredService<ContactsQuery>();
        var tenant = desk.Server.App.Services.GetRequiredService<IOptions<IdContactOptions>>().Value.Tenants[desk.TenantA];
        var agent = new Agent { Id = "agent-eva", UserName = "eva" };
        await QueuedCallAsync(desk.TenantA, "call-yivi", desk.Token("Jan Bewezen", signer: desk.YiviKey));
        await QueuedCallAsync(desk.TenantA, "call-typed", desk.Token("Piet Getypt"));

        var proven = Assert.Single(await query.IncomingAsync(desk.TenantA, tenant, agent, false, "call-yivi", CancellationToken.None));
        Assert.Equal("Yivi", proven.ProvenBy);
        Assert.False(proven.TestData);
        Assert.Equal("https://zaken.example.nl/?bsn=999993653", proven.ExternalLink);

        var typed = Assert.Single(await query.IncomingAsync(desk.TenantA, tenant, agent, false, "call-typed", CancellationToken.None));
        Assert.True(typed.TestData);
        Assert.Null(typed.ExternalLink);
        Assert.True(typed.ExternalLinkWithheld);
        Assert.False(proven.ExternalLinkWithheld);

        // Another agent's refresh of the same contact decrypts nothing again.
        var results = desk.Server.App.Services.GetRequiredService<OpenedResults>();
        var decrypted = results.Decryptions;
        await query.IncomingAsync(desk.TenantA, tenant, new Agent { Id = "agent-piet", UserName = "piet" }, false, "call-yivi", CancellationToken.None);
        Assert.Equal(decrypted, results.Decryptions);
    }

    [Fact]
    public async Task A_database_from_before_the_new_tables_and_migrations_gets_them_at_start_up_and_keeps_its_sessions()
    {
        var (_, attrUrl, _) = await desk.StartPhoneAsync(desk.TenantB);
        await using (var db = desk.Databases.Open(desk.TenantB))
        {
            // As an old version's EnsureCreated left it: no migration history, and tables added since missing.
            await db.Database.ExecuteSqlRawAsync("DROP TABLE \"__EFMigrationsHistory\"");
            await db.Database.ExecuteSqlRawAsync("DROP TABLE \"AdminAudit\"");
            await db.Database.ExecuteSqlRawAsync("DROP TABLE \"WrongCodeWindows\"");
            // Nor had it what later migrations add (they apply after the baseline).
            await db.Database.ExecuteSqlRawAsync("DROP INDEX \"IX_Sessions_Incoming\"");
            await db.Database.ExecuteSqlRawAsync("DROP INDEX \"IX_Audit_At\"");
            await db.Database.ExecuteSqlRawAsync("DROP INDEX \"IX_Audit_AgentName_At\"");
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE \"Appointments\" DROP COLUMN \"CancelledAt\"");
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE \"Appointments\" DROP COLUMN \"Language\"");
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE \"AgentPresence\" DROP COLUMN \"LastSeen\"");
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE \"Sessions\" DROP COLUMN \"CallCodeHash\"");
            await db.Database.ExecuteSqlRawAsync("DROP INDEX \"IX_Sessions_AgentId\"");
            await db.Database.ExecuteSqlRawAsync("DROP INDEX \"IX_Appointments_AgentId\"");
            await db.Database.ExecuteSqlRawAsync("DROP INDEX \"IX_Outbox_SendBefore\"");
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE \"Outbox\" DROP COLUMN \"SendBefore\"");
            await db.Database.ExecuteSqlRawAsync("DROP INDEX \"IX_Sessions_Queue\"");
            await db.Database.ExecuteSqlRawAsync("DROP INDEX \"IX_Audit_SubjectPseudonym_At\"");
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE \"Audit\" DROP COLUMN \"SubjectPseudonym\"");
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE \"Sessions\" DROP COLUMN \"SubjectPseudonym\"");
            await db.Database.ExecuteSqlRawAsync("DROP TABLE \"PseudonymKeys\"");
            await db.Database.ExecuteSqlRawAsync("DROP TABLE \"AddressBookings\"");
            await db.Database.ExecuteSqlRawAsync("DROP INDEX \"IX_Appointments_EmailHash_EmailNumber\"");
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE \"Appointments\" DROP COLUMN \"EmailHash\"");
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE \"Appointments\" DROP COLUMN \"EmailNumber\"");
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE \"Sessions\" DROP COLUMN \"ResidentSeenAt\"");
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE \"Sessions\" DROP COLUMN \"AgentSeenAt\"");
            await db.Database.ExecuteSqlRawAsync("DROP INDEX \"IX_Appointments_PlanKey\"");
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE \"Appointments\" DROP COLUMN \"PlanKey\"");
            await db.Database.ExecuteSqlRawAsync("DROP TABLE \"CancelledLinks\"");
            if (!db.Database.IsSqlite())
            {
                // SQLite keeps keys in the table's definition; the migration rebuilds those tables anyway.
                await db.Database.ExecuteSqlRawAsync("ALTER TABLE \"Sessions\" DROP CONSTRAINT \"FK_Sessions_AspNetUsers_AgentId\"");
                await db.Database.ExecuteSqlRawAsync("ALTER TABLE \"Appointments\" DROP CONSTRAINT \"FK_Appointments_AspNetUsers_AgentId\"");
                await db.Database.ExecuteSqlRawAsync("ALTER TABLE \"AgentPresence\" DROP CONSTRAINT \"FK_AgentPresence_AspNetUsers_AgentId\"");
                // The address column was as long as an address, before it held the address encrypted.
                await db.Database.ExecuteSqlRawAsync("ALTER TABLE \"Appointments\" ALTER COLUMN \"Email\" TYPE character varying(254)");
            }
        }

        await desk.Databases.MigrateAsync(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None);

        await using var upgraded = desk.Databases.Open(desk.TenantB);
        Assert.Equal(0, await upgraded.AdminAudit.CountAsync());
        Assert.True(await upgraded.WrongCodeWindows.CountAsync() >= 0);
        var now = DateTimeOffset.UtcNow;
        Assert.False(await upgraded.AgentPresence.AnyAsync(p => p.LastSeen > now));
        Assert.True(await Exists(desk.TenantB, attrUrl.Split('/').Last()));
        upgraded.Appointments.Add(new Video.Appointment
        {
            Id = Secrets.NewId(),
            SessionId = Secrets.NewId(),
            Purpose = "report_move",
            BookingExpiresAt = now,
            CreatedAt = now,
            Email = new string('x', Video.AppointmentEmailProtector.MaxStoredLength),
        });
        await upgraded.SaveChangesAsync();
    }

    [Fact]
    public async Task Retention_deletes_audit_records_after_the_audit_period_and_keeps_younger_ones()
    {
        var now = DateTimeOffset.UtcNow;
        await using (var db = desk.Databases.Open(desk.TenantB))
        {
            db.Audit.Add(new AuditRecord { AgentId = "a", AgentName = "oud", SessionId = "s-old", Action = "view", At = now.AddDays(-366) });
            db.Audit.Add(new AuditRecord { AgentId = "a", AgentName = "jong", SessionId = "s-young", Action = "view", At = now.AddDays(-364) });
            db.AdminAudit.Add(new Admin.AdminAuditRecord { AdminId = "b", AdminName = "oud", Action = "create", AgentId = "x", At = now.AddDays(-366) });
            await db.SaveChangesAsync();
        }

        await desk.Retention(new FakeTimeProvider(now)).SweepAsync(CancellationToken.None);

        await using var after = desk.Databases.Open(desk.TenantB);
        Assert.Equal(["s-young"], await after.Audit.Where(a => a.SessionId.StartsWith("s-")).Select(a => a.SessionId).ToListAsync());
        Assert.False(await after.AdminAudit.AnyAsync(a => a.AdminName == "oud"));
    }

    [Fact]
    public async Task Bad_results_are_4xx_and_leave_the_session_open()
    {
        var (_, attrUrl, _) = await desk.StartPhoneAsync(desk.TenantA);
        Assert.Equal(HttpStatusCode.BadRequest, (await desk.PostTokenAsync(attrUrl, "garbage")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await desk.PostTokenAsync(attrUrl, desk.Token("Oud", DateTimeOffset.UtcNow.AddMinutes(-10)))).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await desk.PostTokenAsync(attrUrl, desk.Token("X"), "text/plain")).StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await desk.PostTokenAsync(attrUrl, new string('a', 70_000))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await desk.PostTokenAsync(attrUrl + "x", desk.Token("X"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await desk.PostTokenAsync(attrUrl, desk.Token("Daarna goed"))).StatusCode);
    }

    [Fact]
    public async Task Bad_result_at_start_writes_no_session()
    {
        var before = await CountSessions(desk.TenantA);
        var response = await desk.Server.Client.PostAsync($"/{desk.TenantA}/phone/start_communication",
            new StringContent("{\"purpose\":\"report_move\",\"auth_result\":\"bad.token\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await CountSessions(desk.TenantA));
    }

    [Fact]
    public async Task A_replayed_result_at_start_leaves_nothing_behind_on_any_channel()
    {
        var token = desk.Token("Jan Al Gebruikt");
        var (_, attrUrl, _) = await desk.StartPhoneAsync(desk.TenantA);
        Assert.Equal(HttpStatusCode.OK, (await desk.PostTokenAsync(attrUrl, token)).StatusCode);

        // The replay is found only once the session exists (the claim names its holder), so the refusal must undo all
        // the start wrote: a video start's appointment once stayed behind (found by the bad-input sweep).
        var before = await CountRowsAsync(desk.TenantA);
        foreach (var channel in new[] { "phone", "chat", "video" })
        {
            var response = await desk.Server.Client.PostAsJsonAsync($"/{desk.TenantA}/{channel}/start_communication", new { purpose = "report_move", auth_result = token });
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        }

        Assert.Equal(before, await CountRowsAsync(desk.TenantA));
    }

    private async Task<(int Sessions, int Appointments)> CountRowsAsync(string tenant)
    {
        await using var db = desk.Databases.Open(tenant);
        return (await db.Sessions.CountAsync(), await db.Appointments.CountAsync());
    }

    [Fact]
    public async Task Attributes_at_rest_are_only_the_encrypted_token()
    {
        var (_, attrUrl, _) = await desk.StartPhoneAsync(desk.TenantA);
        var token = desk.Token("Zeldzame Naam Kwakernaat");
        Assert.Equal(HttpStatusCode.OK, (await desk.PostTokenAsync(attrUrl, token)).StatusCode);
        await using var db = desk.Databases.Open(desk.TenantA);
        var stored = await db.Sessions.AsNoTracking().SingleAsync(s => s.ResultToken == token);
        Assert.DoesNotContain("Kwakernaat", stored.ResultToken);
        Assert.Equal(5, stored.ResultToken!.Split('.').Length);
    }

    [Fact]
    public async Task Right_code_matches_once_and_is_swapped_for_a_strong_secret()
    {
        var (code, _, _) = await desk.StartPhoneAsync(desk.TenantA);
        var (status, body) = await desk.ExchangeAsync(desk.TenantA, "identify", new { code, call_id = "call-single" }, DeskServer.KeyA);
        Assert.Equal(200, status);
        Assert.Equal("matched", body.GetProperty("result").GetString());
        Assert.True(body.GetProperty("session_secret").GetString()!.Length >= 43);

        var (_, again) = await desk.ExchangeAsync(desk.TenantA, "identify", new { code, call_id = "call-other" }, DeskServer.KeyA);
        Assert.Equal("wrong_code", again.GetProperty("result").GetString());
        await using var db = desk.Databases.Open(desk.TenantA);
        var session = await db.Sessions.AsNoTracking().SingleAsync(s => s.CallId == "call-single");
        Assert.Null(session.Code);
        Assert.Equal(ContactState.Queued, session.State);
    }

    [Fact]
    public async Task Three_wrong_codes_lock_the_call_even_for_the_right_code()
    {
        var (code, _, _) = await desk.StartPhoneAsync(desk.TenantA);
        var wrong = code == "000000" ? "111111" : "000000";
        var call = "call-lock-" + Guid.NewGuid().ToString("N")[..6];
        var (_, first) = await desk.ExchangeAsync(desk.TenantA, "identify", new { code = wrong, call_id = call }, DeskServer.KeyA);
        Assert.Equal(2, first.GetProperty("attempts_left").GetInt32());
        var (_, second) = await desk.ExchangeAsync(desk.TenantA, "identify", new { code = wrong, call_id = call }, DeskServer.KeyA);
        Assert.Equal(1, second.GetProperty("attempts_left").GetInt32());
        var (_, third) = await desk.ExchangeAsync(desk.TenantA, "identify", new { code = wrong, call_id = call }, DeskServer.KeyA);
        Assert.Equal("locked", third.GetProperty("result").GetString());
        var (_, right) = await desk.ExchangeAsync(desk.TenantA, "identify", new { code, call_id = call }, DeskServer.KeyA);
        Assert.Equal("locked", right.GetProperty("result").GetString());

        // Another call may still use the code.
        var (_, fresh) = await desk.ExchangeAsync(desk.TenantA, "identify", new { code, call_id = call + "-b" }, DeskServer.KeyA);
        Assert.Equal("matched", fresh.GetProperty("result").GetString());
    }

    [Fact]
    public async Task An_expired_code_no_longer_matches()
    {
        var (code, _, _) = await desk.StartPhoneAsync(desk.TenantA);
        var calls = desk.Calls(new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(16)));
        var result = await calls.IdentifyAsync(desk.TenantA, code, "call-late", null, CancellationToken.None);
        Assert.Equal("wrong_code", result.Result);

        var inTime = desk.Calls(new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(14)));
        Assert.Equal("matched", (await inTime.IdentifyAsync(desk.TenantA, code, "call-in-time", null, CancellationToken.None)).Result);
    }

    [Fact]
    public async Task Exchange_api_needs_the_tenants_own_key_and_valid_bodies()
    {
        var (code, _, _) = await desk.StartPhoneAsync(desk.TenantA);
        Assert.Equal(401, (await desk.ExchangeAsync(desk.TenantA, "identify", new { code, call_id = "k1" }, null)).Status);
        Assert.Equal(401, (await desk.ExchangeAsync(desk.TenantA, "identify", new { code, call_id = "k1" }, "wrong-key-0123456789")).Status);
        Assert.Equal(401, (await desk.ExchangeAsync(desk.TenantA, "identify", new { code, call_id = "k1" }, DeskServer.KeyB)).Status);
        Assert.Equal(400, (await desk.ExchangeAsync(desk.TenantA, "identify", new { code }, DeskServer.KeyA)).Status);
        Assert.Equal(400, (await desk.ExchangeAsync(desk.TenantA, "identify", new { code, call_id = new string('x', 200) }, DeskServer.KeyA)).Status);
        Assert.Equal(404, (await desk.ExchangeAsync("atlantis", "identify", new { code, call_id = "k1" }, DeskServer.KeyA)).Status);
    }

    [Fact]
    public async Task Tenants_cannot_reach_each_others_sessions()
    {
        var (code, attrUrl, _) = await desk.StartPhoneAsync(desk.TenantA);
        var viaB = attrUrl.Replace($"/{desk.TenantA}/", $"/{desk.TenantB}/", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await desk.PostTokenAsync(viaB, desk.Token("X"))).StatusCode);
        var (_, inB) = await desk.ExchangeAsync(desk.TenantB, "identify", new { code, call_id = "cross-1" }, DeskServer.KeyB);
        Assert.Equal("wrong_code", inB.GetProperty("result").GetString());

        var id = attrUrl.Split('/').Last();
        await using var dbB = desk.Databases.Open(desk.TenantB);
        Assert.False(await dbB.Sessions.AnyAsync(s => s.Id == id));
        await using var dbA = desk.Databases.Open(desk.TenantA);
        Assert.True(await dbA.Sessions.AnyAsync(s => s.Id == id));
    }

    [Fact]
    public async Task Call_ended_deletes_the_session_and_its_data_at_once()
    {
        var (code, attrUrl, _) = await desk.StartPhoneAsync(desk.TenantA);
        Assert.Equal(HttpStatusCode.OK, (await desk.PostTokenAsync(attrUrl, desk.Token("Weg Straks"))).StatusCode);
        await desk.ExchangeAsync(desk.TenantA, "identify", new { code, call_id = "call-end" }, DeskServer.KeyA);

        var (status, body) = await desk.ExchangeAsync(desk.TenantA, "ended", new { call_id = "call-end" }, DeskServer.KeyA);
        Assert.Equal(200, status);
        Assert.Equal(1, body.GetProperty("deleted").GetInt32());
        var id = attrUrl.Split('/').Last();
        await using var db = desk.Databases.Open(desk.TenantA);
        Assert.False(await db.Sessions.AnyAsync(s => s.Id == id));
        Assert.Equal(HttpStatusCode.NotFound, (await desk.PostTokenAsync(attrUrl, desk.Token("X"))).StatusCode);
        Assert.Equal(0, (await desk.ExchangeAsync(desk.TenantA, "ended", new { call_id = "call-end" }, DeskServer.KeyA)).Body.GetProperty("deleted").GetInt32());
        Assert.Equal(0, (await desk.ExchangeAsync(desk.TenantA, "ended", new { call_id = "never-was" }, DeskServer.KeyA)).Body.GetProperty("deleted").GetInt32());
    }

    [Fact]
    public async Task Call_ended_forgets_the_calls_tries_with_its_sessions_and_only_that_call()
    {
        var (code, _, _) = await desk.StartPhoneAsync(desk.TenantA);
        var wrong = (code[0] == '0' ? "1" : "0") + code[1..];
        var (_, first) = await desk.ExchangeAsync(desk.TenantA, "identify", new { code = wrong, call_id = "ended-tries", caller = "+31611110001" }, DeskServer.KeyA);
        Assert.Equal("wrong_code", first.GetProperty("result").GetString());
        await desk.ExchangeAsync(desk.TenantA, "identify", new { code = wrong, call_id = "other-tries", caller = "+31611110002" }, DeskServer.KeyA);
        var (_, matched) = await desk.ExchangeAsync(desk.TenantA, "identify", new { code, call_id = "ended-tries", caller = "+31611110001" }, DeskServer.KeyA);
        Assert.Equal("matched", matched.GetProperty("result").GetString());
        await using (var before = desk.Databases.Open(desk.TenantA))
        {
            Assert.True(await before.CallAttempts.AnyAsync(a => a.CallId == "other-tries"));
            // A right code gives back its own try: the call's tries are forgotten and the caller keeps only the wrong one.
            Assert.False(await before.CallAttempts.AnyAsync(a => a.CallId == "ended-tries"));
            var callerKey = await WrongCodeCounter.CallerKeyAsync(desk.Hashes, desk.TenantA, "+31611110001", CancellationToken.None);
            Assert.Equal(1, (await before.WrongCodeWindows.SingleAsync(w => w.Key == callerKey)).Count);
        }

        var (_, body) = await desk.ExchangeAsync(desk.TenantA, "ended", new { call_id = "ended-tries" }, DeskServer.KeyA);
        Assert.Equal(1, body.GetProperty("deleted").GetInt32());
        // A wrong code left a count for the call that never matched: ending it removes the count, though no session.
        Assert.Equal(0, (await desk.ExchangeAsync(desk.TenantA, "ended", new { call_id = "other-tries" }, DeskServer.KeyA)).Body.GetProperty("deleted").GetInt32());
        await using var db = desk.Databases.Open(desk.TenantA);
        Assert.False(await db.Sessions.AnyAsync(s => s.CallId == "ended-tries"));
        Assert.False(await db.CallAttempts.AnyAsync(a => a.CallId == "ended-tries" || a.CallId == "other-tries"));
    }

    [Fact]
    public async Task Retention_deletes_sessions_an_hour_after_last_activity_and_keeps_fresh_ones()
    {
        var (_, staleUrl, _) = await desk.StartPhoneAsync(desk.TenantB);
        var staleId = staleUrl.Split('/').Last();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(59));
        var retention = desk.Retention(clock);

        await retention.SweepAsync(CancellationToken.None);
        Assert.True(await Exists(desk.TenantB, staleId));

        clock.Advance(TimeSpan.FromMinutes(2));
        var (_, freshUrl, _) = await desk.StartPhoneAsync(desk.TenantB);
        await using (var db = desk.Databases.Open(desk.TenantB))
        {
            // Recent activity on this one, by the fake clock the sweep reads.
            var freshId = freshUrl.Split('/').Last();
            var fresh = await db.Sessions.SingleAsync(s => s.Id == freshId);
            fresh.LastActivityAt = clock.GetUtcNow().AddMinutes(-5);
            await db.SaveChangesAsync();
        }

        Assert.True(await retention.SweepAsync(CancellationToken.None) >= 1);
        Assert.False(await Exists(desk.TenantB, staleId));
        Assert.True(await Exists(desk.TenantB, freshUrl.Split('/').Last()));
    }

    [Fact]
    public async Task Racing_requests_still_give_one_result_and_one_match()
    {
        var (code, attrUrl, _) = await desk.StartPhoneAsync(desk.TenantA);
        var tokens = Enumerable.Range(0, 8).Select(i => desk.Token("Racer " + i)).ToList();
        var posts = await Task.WhenAll(tokens.Select(t => desk.PostTokenAsync(attrUrl, t)));
        Assert.Single(posts, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(posts.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));

        var identifies = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            desk.ExchangeAsync(desk.TenantA, "identify", new { code, call_id = $"race-{i}" }, DeskServer.KeyA)));
        Assert.Single(identifies, r => r.Body.GetProperty("result").GetString() == "matched");
        Assert.All(identifies, r => Assert.Equal(200, r.Status));
    }

    private async Task QueuedCallAsync(string tenant, string callId, string token, string exchangeKey = DeskServer.KeyA)
    {
        var (code, attrUrl, _) = await desk.StartPhoneAsync(tenant);
        Assert.Equal(HttpStatusCode.OK, (await desk.PostTokenAsync(attrUrl, token)).StatusCode);
        var (status, body) = await desk.ExchangeAsync(tenant, "identify", new { code, call_id = callId }, exchangeKey);
        Assert.True(status == 200, body.ToString());
    }

    /// <summary>Flips the unused low bits of the last base64url character: decodes to the same bytes.</summary>
    private static string WithOtherPaddingBits(string token)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var last = token[^1];
        var value = Alphabet.IndexOf(last, StringComparison.Ordinal);
        return token[..^1] + Alphabet[value ^ 1];
    }

    private async Task<bool> Exists(string tenant, string id)
    {
        await using var db = desk.Databases.Open(tenant);
        return await db.Sessions.AnyAsync(s => s.Id == id);
    }

    private async Task<int> CountSessions(string tenant)
    {
        await using var db = desk.Databases.Open(tenant);
        return await db.Sessions.CountAsync();
    }
}

public sealed class SqliteDeskStoreTests(SqliteDeskServer desk) : DeskStoreTests<SqliteDeskServer>(desk), IClassFixture<SqliteDeskServer>;

public sealed class PostgresDeskStoreTests(PostgresDeskServer desk) : DeskStoreTests<PostgresDeskServer>(desk), IClassFixture<PostgresDeskServer>;
