using System.Data.Common;
using System.Net;
using System.Text;
using IdContact.Desk.Admin;
using IdContact.Desk.Agents;
using IdContact.Hosting;
using IdContact.Protocol.Tokens;
using IdContact.Roles.Tests;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Tests;

/// <summary>
/// A resident's access request ("which employees saw my data?", AVG art. 15): records carry a keyed pseudonym of the BSN,
/// the officer searches by BSN, and no BSN is kept anywhere.
/// </summary>
public abstract partial class AccessLogTests<TServer>
{
    private const string BsnOfSanne = "999990019";
    private const string BsnOfPiet = "999990032";

    /// <summary>The resident of the storage test (each test its own: the servers are shared within a class).</summary>
    private const string BsnOfKees = "999990044";

    private const string BsnOfLate = "999990056";

    [Fact]
    public async Task Records_of_a_bsn_session_carry_its_pseudonym_and_the_bsn_search_finds_exactly_that_residents_records()
    {
        var anna = await AgentAsync(desk.TenantA, "bsn-anna");
        var bert = await AgentAsync(desk.TenantA, "bsn-bert");
        var bob = await AgentAsync(desk.TenantB, "bsn-bob");

        // Sanne in two contacts (a chat taken and seen by Anna, a chat seen by Bert), Piet once, someone without a BSN once;
        // in tenant B, a resident with Sanne's BSN.
        var sanneChat = await ChatAsync(desk.TenantA, anna, BsnOfSanne);
        var sanneAgain = await ChatAsync(desk.TenantA, null, BsnOfSanne, viewer: bert);
        // (An agent holds a few chats at most: colleagues take the others.)
        var piet = await ChatAsync(desk.TenantA, await AgentAsync(desk.TenantA, "bsn-carl"), BsnOfPiet);
        var nobody = await ChatAsync(desk.TenantA, await AgentAsync(desk.TenantA, "bsn-dora"), null);
        var sanneInB = await ChatAsync(desk.TenantB, bob, BsnOfSanne);

        var records = await RecordsAsync(desk.TenantA, sanneChat, sanneAgain, piet, nobody);
        Assert.Equal(["take", "view"], records.Where(r => r.SessionId == sanneChat).Select(r => r.Action).Order());
        var sanne = Assert.Single(records.Where(r => r.SessionId is var s && (s == sanneChat || s == sanneAgain)).Select(r => r.SubjectPseudonym).Distinct());
        Assert.Matches("^[0-9a-f]{64}$", sanne);
        Assert.NotEqual(sanne, Assert.Single(records.Where(r => r.SessionId == piet).Select(r => r.SubjectPseudonym).Distinct()));
        Assert.All(records.Where(r => r.SessionId == nobody), r => Assert.Null(r.SubjectPseudonym));
        var inB = Assert.Single(await RecordsAsync(desk.TenantB, sanneInB), r => r.Action == "take").SubjectPseudonym;
        Assert.NotNull(inB);
        Assert.NotEqual(sanne, inB); // another municipality's key

        // The officer types the BSN as people write it; the answer is a link with the pseudonym, never the BSN.
        using var admin = await AdminAsync(desk.TenantA, "bsn-admin");
        var found = await SearchAsync(admin, "9999.90.019");
        Assert.Equal(HttpStatusCode.Redirect, found.StatusCode);
        var location = found.Headers.Location!.OriginalString;
        Assert.Equal($"/{desk.TenantA}/desk/admin/access-log?subject={sanne}", location);
        var page = await (await admin.Client.GetAsync(location)).Content.ReadAsStringAsync();
        Assert.Equal(new[] { sanneAgain, sanneChat, sanneChat }.Order(), Sessions(page).Order());
        Assert.Contains("id=\"access-log-subject\"", page);
        Assert.DoesNotContain(BsnOfSanne, page);
        var csv = await (await admin.Client.GetAsync(location.Replace("access-log?", "access-log.csv?", StringComparison.Ordinal))).Content.ReadAsStringAsync();
        Assert.Equal(3, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length - 1);
        Assert.DoesNotContain(BsnOfSanne, csv);
        Assert.DoesNotContain(piet, csv);

        // Narrowed by action within the resident's records; an eight-digit spelling is the same resident.
        Assert.Equal([sanneChat], Sessions(await (await admin.Client.GetAsync(location + "&action=take")).Content.ReadAsStringAsync()));
        Assert.Equal(location, (await SearchAsync(admin, "99999001 9")).Headers.Location!.OriginalString);

        // Tenant B's officer finds B's resident only.
        using var adminB = await AdminAsync(desk.TenantB, "bsn-admin");
        var inBPage = await (await adminB.Client.GetAsync((await SearchAsync(adminB, BsnOfSanne)).Headers.Location!.OriginalString)).Content.ReadAsStringAsync();
        Assert.Equal([sanneInB, sanneInB], Sessions(inBPage)); // taken and seen
    }

    [Fact]
    public async Task Records_written_before_the_resident_identified_get_the_pseudonym_when_the_proven_bsn_arrives()
    {
        var holder = await AgentAsync(desk.TenantA, "late-anna");
        var (_, attrUrl) = await desk.StartChatAsync(desk.TenantA);
        var id = attrUrl.Split('/').Last();
        var chats = desk.Server.App.Services.GetRequiredService<Chat.ChatStore>();
        await chats.EnqueueAsync(desk.TenantA, id, CancellationToken.None);
        await chats.SetAvailableAsync(desk.TenantA, holder.Id, true, CancellationToken.None);
        Assert.Equal(Chat.TakeOutcome.Taken, await chats.TakeAsync(desk.TenantA, id, holder, CancellationToken.None));
        await chats.SetAvailableAsync(desk.TenantA, holder.Id, false, CancellationToken.None);
        Assert.Null(Assert.Single(await RecordsAsync(desk.TenantA, id)).SubjectPseudonym);

        // The agent asks the resident to identify in the chat: the take of before is now the resident's too.
        var token = AuthResultToken.Issue(
            AuthResult.Succeeded(new Dictionary<string, string> { ["fullname"] = "Laat Bewezen", ["bsn"] = BsnOfLate }), desk.TestKey, desk.DeskKey.PublicKey, DateTimeOffset.UtcNow);
        Assert.Equal(HttpStatusCode.OK, (await desk.PostTokenAsync(attrUrl, token)).StatusCode);
        var take = Assert.Single(await RecordsAsync(desk.TenantA, id));
        Assert.Equal(AuditActions.Take, take.Action);
        Assert.Equal(await desk.Server.App.Services.GetRequiredService<SubjectPseudonyms>().OfBsnAsync(desk.TenantA, BsnOfLate, CancellationToken.None), take.SubjectPseudonym);
    }

    [Fact]
    public async Task No_bsn_is_stored_in_the_audit_the_admin_audit_or_the_key_and_the_search_is_recorded_without_it()
    {
        var anna = await AgentAsync(desk.TenantA, "nobsn-anna");
        var session = await ChatAsync(desk.TenantA, anna, BsnOfKees);
        using var admin = await AdminAsync(desk.TenantA, "nobsn-admin");
        var found = await SearchAsync(admin, BsnOfKees);
        await admin.Client.GetAsync(found.Headers.Location!.OriginalString);
        await admin.Client.GetAsync(found.Headers.Location!.OriginalString.Replace("access-log?", "access-log.csv?", StringComparison.Ordinal));

        await using var db = desk.Databases.Open(desk.TenantA);
        var pseudonym = (await db.Audit.FirstAsync(r => r.SessionId == session)).SubjectPseudonym!;
        var trail = await db.AdminAudit.Where(r => r.AdminName == "nobsn-admin" && !AdminActions.SignIns.Contains(r.Action) && r.Detail != null).OrderBy(r => r.Id).ToListAsync();
        Assert.Equal([AdminActions.AccessLog, AdminActions.AccessLogExport], trail.Select(r => r.Action));
        Assert.All(trail, r => Assert.Equal($"bsn={pseudonym[..8]}…", r.Detail));

        // Every text in the tables the log and its key live in: no BSN, in any spelling the desk writes.
        foreach (var table in new[] { "Audit", "AdminAudit", "PseudonymKeys", "Sessions" })
        {
            var text = await TableTextAsync(db, table);
            Assert.DoesNotContain(BsnOfKees, text);
        }

        Assert.Contains(pseudonym, await TableTextAsync(db, "Audit"));
        // The key is stored encrypted (data protection), not as the 32 bytes that make the pseudonym.
        var stored = await db.PseudonymKeys.SingleAsync();
        Assert.True(Convert.FromBase64String(stored.Protected).Length > 32);
    }

    [Fact]
    public async Task A_pseudonym_key_that_does_not_decrypt_is_tried_and_logged_once_a_minute_not_per_result()
    {
        var services = desk.Server.App.Services;
        Assert.NotNull(await services.GetRequiredService<SubjectPseudonyms>().OfBsnAsync(desk.TenantA, BsnOfSanne, CancellationToken.None));
        // Another key ring (the desk's was lost): the stored key no longer decrypts.
        var logs = new CapturingLoggerProvider();
        using var logging = LoggerFactory.Create(l => l.AddProvider(logs));
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var pseudonyms = ActivatorUtilities.CreateInstance<SubjectPseudonyms>(
            services, new EphemeralDataProtectionProvider(), time, logging.CreateLogger<SubjectPseudonyms>());
        int Tries() => logs.Messages.Count(m => m.Contains("cannot be decrypted", StringComparison.Ordinal));

        Assert.Null(await pseudonyms.OfBsnAsync(desk.TenantA, BsnOfSanne, CancellationToken.None));
        Assert.Null(await pseudonyms.OfBsnAsync(desk.TenantA, BsnOfPiet, CancellationToken.None));
        Assert.Equal(1, Tries());

        time.Advance(SubjectPseudonyms.RetryAfterFailure);
        Assert.Null(await pseudonyms.OfBsnAsync(desk.TenantA, BsnOfSanne, CancellationToken.None));
        Assert.Equal(2, Tries());
    }

    [Theory]
    [InlineData("", "Vul een BSN in.")]
    [InlineData("12345678x", "Een BSN bestaat uit 9 cijfers.")]
    [InlineData("1234567890", "Een BSN bestaat uit 9 cijfers.")]
    [InlineData("123456789", "Dit is geen geldig BSN (de elfproef klopt niet); controleer het nummer.")]
    [InlineData("000000000", "Dit is geen geldig BSN")]
    [InlineData("<script>", "Een BSN bestaat uit 9 cijfers.")]
    public async Task A_malformed_bsn_is_a_400_page_with_the_message_on_the_field_and_nothing_read_or_recorded(string typed, string message)
    {
        using var admin = await AdminAsync(desk.TenantA, "badbsn-admin");
        var before = await AdminAuditCountAsync(desk.TenantA, "badbsn-admin");
        var response = await SearchAsync(admin, typed);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains($"<a class=\"utrecht-link utrecht-link--html-a\" href=\"#f-bsn\">{message}", FieldErrors.Summary(page, "access-log-error"));
        Assert.Contains($"id=\"f-bsn-error\">{message}", page);
        FieldErrors.AssertLinked(page, "f-bsn", "access-log-error");
        Assert.Contains("aria-describedby=\"f-bsn-hint f-bsn-error\" aria-invalid=\"true\"", page);
        Assert.Contains($"value=\"{WebUtility.HtmlEncode(typed)}\"", page);
        Assert.DoesNotContain("id=\"access-log\"", page);
        // The page's own reads for the form are recorded; the refused search is not.
        Assert.Equal(before + 1, await AdminAuditCountAsync(desk.TenantA, "badbsn-admin"));

        var english = await admin.PostAsync("/desk/admin/access-log?lang=en", "/desk/admin/access-log?lang=en", ("bsn", "123456789"));
        Assert.Equal(HttpStatusCode.BadRequest, english.StatusCode);
        Assert.Contains("This is not a valid BSN (the eleven-test fails); check the number.", await english.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/desk/admin/access-log?subject=" + BsnOfSanne)).StatusCode);
    }

    private Task<HttpResponseMessage> SearchAsync(DeskAgent admin, string bsn) =>
        admin.PostAsync("/desk/admin/access-log", "/desk/admin/access-log", ("bsn", bsn));

    private async Task<Agent> AgentAsync(string tenant, string userName)
    {
        await DeskAgent.CreateAsync(desk.Databases, tenant, userName);
        return (await DeskAgent.FindAsync(desk.Databases, tenant, userName))!;
    }

    /// <summary>A chat started with a proven result (with <paramref name="bsn"/>, if any), taken by <paramref name="holder"/> and shown to the holder or <paramref name="viewer"/>.</summary>
    private async Task<string> ChatAsync(string tenant, Agent? holder, string? bsn, Agent? viewer = null)
    {
        var attributes = new Dictionary<string, string> { ["fullname"] = "Inwoner " + Guid.NewGuid().ToString("N")[..6] };
        if (bsn is not null)
        {
            attributes["bsn"] = bsn;
        }

        var token = AuthResultToken.Issue(AuthResult.Succeeded(attributes), desk.TestKey, desk.DeskKey.PublicKey, DateTimeOffset.UtcNow);
        var (_, attrUrl) = await desk.StartChatAsync(tenant, token);
        var id = attrUrl.Split('/').Last();
        var chats = desk.Server.App.Services.GetRequiredService<Chat.ChatStore>();
        await chats.EnqueueAsync(tenant, id, CancellationToken.None);
        if (holder is not null)
        {
            await chats.SetAvailableAsync(tenant, holder.Id, true, CancellationToken.None);
            Assert.Equal(Chat.TakeOutcome.Taken, await chats.TakeAsync(tenant, id, holder, CancellationToken.None));
            await chats.SetAvailableAsync(tenant, holder.Id, false, CancellationToken.None);
        }

        var options = desk.Server.App.Services.GetRequiredService<IOptions<IdContactOptions>>().Value.Tenants[tenant];
        var shown = await desk.Contacts(TimeProvider.System).IncomingAsync(tenant, options, (viewer ?? holder)!, false, null, CancellationToken.None, sessionId: id);
        Assert.NotEmpty(Assert.Single(shown).Attributes);
        return id;
    }

    private async Task<List<AuditRecord>> RecordsAsync(string tenant, params string[] sessions)
    {
        await using var db = desk.Databases.Open(tenant);
        return await db.Audit.AsNoTracking().Where(r => sessions.Contains(r.SessionId)).ToListAsync();
    }

    /// <summary>Every value of every row of <paramref name="table"/>, as text.</summary>
    private static async Task<string> TableTextAsync(DbContext db, string table)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await connection.OpenAsync();
        }

        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table}\"";
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        var text = new StringBuilder();
        while (await reader.ReadAsync())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                text.Append(reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('|');
            }

            text.AppendLine();
        }

        return text.ToString();
    }
}

/// <summary>The BSN as the access log keys it: nine digits, leading zeros kept, checked with the eleven-test.</summary>
public sealed class BsnTests
{
    [Theory]
    [InlineData("999993653", "999993653", true)]
    [InlineData(" 9999.93.653 ", "999993653", true)]
    [InlineData("12345672", "012345672", true)]
    [InlineData("123456789", "123456789", false)]
    [InlineData("000000000", "000000000", false)]
    [InlineData("1234567890", null, false)]
    [InlineData("12345678a", null, false)]
    [InlineData("", null, false)]
    public void A_bsn_is_normalised_to_nine_digits_and_checked_with_the_eleven_test(string text, string? normalised, bool valid)
    {
        Assert.Equal(normalised, Bsn.Normalise(text));
        Assert.Equal(valid, normalised is not null && Bsn.PassesElevenTest(normalised));
    }
}
