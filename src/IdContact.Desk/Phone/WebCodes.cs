using System.Linq.Expressions;
using IdContact.Desk.Agents;
using IdContact.Desk.Exchange;
using IdContact.Desk.Sessions;
using IdContact.Desk.Tenants;
using IdContact.Hosting;
using IdContact.Protocol.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Phone;

/// <summary>What came of an agent asking for a new code.</summary>
public enum WebCodeRenewal
{
    Renewed,

    /// <summary>The tenant already has <see cref="WebCodeOptions.MaxLive"/> live codes.</summary>
    Full,

    /// <summary>Not this agent's, ended, or a successful result arrived.</summary>
    Gone,
}

/// <summary>What a typed web code turned out to be.</summary>
public enum WebCodeCheck
{
    /// <summary>A live code of this tenant: the contact it belongs to is given.</summary>
    Right,

    /// <summary>Unknown, expired, spent or another tenant's: the resident is told one and the same thing.</summary>
    Wrong,

    /// <summary>This address typed too many wrong codes within the hour: not even looked at.</summary>
    TooMany,
}

/// <summary>
/// Identifying a caller on the web (M5 for the phone): the agent's phone contact, held by that agent from the start
/// (Active, AgentId set, no CallId), with a one-time code in the session's Code column. The exchange never matches it:
/// its swap takes only Waiting sessions. The code is spent when a sign-in starts; the result arrives at the phone
/// attr_url like any phone result (one per session, replays refused installation-wide).
/// </summary>
public sealed class WebCodes(
    TenantDatabases databases, TimeProvider time, ContactNotifier notifier, IOptions<IdContactOptions> options, DeskMetrics metrics, WrongCodeAlarm alarm, OpenedResults results,
    IdentifierHashes hashes, ILogger<WebCodes> logger)
{
    private WebCodeOptions For(string tenant) => options.Value.Tenants[tenant].Desk().WebCode;

    /// <summary>The contact and its code; null when the tenant already has <see cref="WebCodeOptions.MaxLive"/> live codes.</summary>
    public async Task<ContactSession?> CreateAsync(string tenant, Agent agent, string purpose, CancellationToken ct)
    {
        await using var db = databases.Open(tenant);
        var session = await InsertNewAsync(db, agent, purpose, For(tenant), time.GetUtcNow(), ct);
        if (session is not null)
        {
            metrics.SessionCreated(tenant, "phone-web");
            await notifier.ChangedAsync(tenant);
        }

        return session;
    }

    /// <summary>A new identification with a code unique among present ones; null at the cap of live codes.</summary>
    private static async Task<ContactSession?> InsertNewAsync(DeskDbContext db, Agent agent, string purpose, WebCodeOptions settings, DateTimeOffset now, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var session = new ContactSession
            {
                Id = Secrets.NewId(),
                Channel = Channels.Phone,
                Purpose = purpose,
                State = ContactState.Active,
                AgentId = agent.Id,
                Code = Secrets.NewCode(settings.Length),
                CodeExpiresAt = now.AddMinutes(settings.LifetimeMinutes),
                CreatedAt = now,
                LastActivityAt = now,
            };
            if (await InsertAsync(db, session, settings.MaxLive, ct))
            {
                return session;
            }

            if (await LiveCount(db, now).CountAsync(ct) >= settings.MaxLive)
            {
                return null;
            }

            // The code collided with a present one (unique index): draw another.
        }

        throw new InvalidOperationException("No free web code after 20 draws.");
    }

    /// <summary>
    /// A fresh code for the agent's identification while no result has arrived (the caller misheard it, it expired, or
    /// they abandoned the sign-in after spending it), or after a failed one (they cancelled it). It is a new contact in
    /// place of the old one (deleted in the same transaction), so the old code stops working and a sign-in started with
    /// it lands nowhere: the data the agent then sees comes from the code they read out last.
    /// </summary>
    /// <returns>The new contact's id, or why there is none.</returns>
    public async Task<(WebCodeRenewal Outcome, string? Id)> RenewAsync(string tenant, string id, Agent agent, CancellationToken ct)
    {
        var settings = For(tenant);
        var now = time.GetUtcNow();
        await using var db = databases.Open(tenant);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var old = await db.Sessions.AsNoTracking().Where(Identifications).FirstOrDefaultAsync(s => s.Id == id && s.AgentId == agent.Id, ct);
        if (old is null || (old.ResultToken is not null && results.Open(tenant, old).Status != AuthStatus.Failed))
        {
            return (WebCodeRenewal.Gone, null);
        }

        // Still the result it was when it was read: a result arriving meanwhile is the agent's to see, not replaced unseen.
        if (await db.Sessions.Where(s => s.Id == id && s.ResultToken == old.ResultToken).ExecuteDeleteAsync(ct) == 0)
        {
            return (WebCodeRenewal.Gone, null);
        }

        var created = await InsertNewAsync(db, agent, old.Purpose, settings, now, ct);
        if (created is null)
        {
            return (WebCodeRenewal.Full, null); // rolled back: the old contact and code stay
        }

        await transaction.CommitAsync(ct);
        metrics.SessionCreated(tenant, "phone-web");
        await notifier.ChangedAsync(tenant);
        return (WebCodeRenewal.Renewed, created.Id);
    }

    /// <summary>What a web identification is: a phone contact held by an agent from the start, with no call.</summary>
    public static readonly Expression<Func<ContactSession, bool>> Identifications = s => s.Channel == Channels.Phone && s.AgentId != null && s.CallId == null;

    private static readonly Func<ContactSession, bool> IsIdentificationCompiled = Identifications.Compile();

    /// <summary><see cref="Identifications"/> for a contact already read.</summary>
    public static bool IsIdentification(ContactSession session) => IsIdentificationCompiled(session);

    /// <summary>The tenant's live web codes: code not yet spent nor expired (the cap in <see cref="InsertAsync"/> counts the same).</summary>
    private static IQueryable<ContactSession> LiveCount(DeskDbContext db, DateTimeOffset now) =>
        db.Sessions.Where(Identifications).Where(s => s.Code != null && s.CodeExpiresAt > now);

    /// <summary>
    /// One INSERT … SELECT … WHERE (same SQL on both providers, times as UTC ticks): the cap on live codes is part of the
    /// statement, and a taken code is a row count, not an exception. Parallel creations may each see the count just
    /// below the cap, so it can be passed by the number of agents creating at the same instant.
    /// </summary>
    private static async Task<bool> InsertAsync(DeskDbContext db, ContactSession s, int maxLive, CancellationToken ct)
    {
        long at = s.CreatedAt.UtcTicks, expires = s.CodeExpiresAt!.Value.UtcTicks;
        var state = (int)s.State;
        return await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO "Sessions" ("Id", "Channel", "Purpose", "State", "Code", "CodeExpiresAt", "AgentId", "CreatedAt", "LastActivityAt")
            SELECT {s.Id}, {s.Channel}, {s.Purpose}, {state}, {s.Code}, {expires}, {s.AgentId}, {at}, {at}
            WHERE (SELECT COUNT(*) FROM "Sessions" WHERE "AgentId" IS NOT NULL AND "CallId" IS NULL AND "Code" IS NOT NULL AND "CodeExpiresAt" > {at}) < {maxLive}
            ON CONFLICT DO NOTHING
            """,
            ct) == 1;
    }

    /// <summary>The count key of a client address (an IPv6 one by its /64) for wrong web codes; only a keyed hash is stored.</summary>
    public static async Task<string> AddressKeyAsync(IdentifierHashes hashes, string tenant, string? address, CancellationToken ct) =>
        "web:" + await hashes.HashAsync(tenant, "web", ClientAddress.Key(address), ct);

    /// <summary>The count key of a browser's id (<see cref="WebCodeBrowser"/>) for wrong web codes.</summary>
    public static string BrowserKey(string browser) => "webbrowser:" + Secrets.Hash(browser);

    /// <summary>
    /// Checks a typed code: a try is counted for the browser and for its address before the code is looked at (so
    /// parallel requests get no tries beyond either limit) and given back when the code was right. <paramref name="spend"/>
    /// also spends it, in one conditional update, so of two requests with the same code only one goes on to sign in.
    /// <paramref name="ct"/> stops it only before anything is counted: once counted, the check runs to its end.
    /// </summary>
    /// <returns>With <see cref="WebCodeCheck.TooMany"/>, how long until the full window ends (for Retry-After).</returns>
    public async Task<(WebCodeCheck Check, ContactSession? Contact, TimeSpan RetryAfter)> CheckAsync(
        string tenant, string code, string? address, string browser, bool spend, CancellationToken ct)
    {
        var settings = For(tenant);
        var now = time.GetUtcNow();
        var (browserKey, addressKey) = (BrowserKey(browser), await AddressKeyAsync(hashes, tenant, address, ct));
        // Not the request's token from here on: a check stopped half-way by a dropped request would keep a try counted
        // for a code never looked at, or a right code's try, or spend the code with nobody to give it back.
        ct = CancellationToken.None;
        await using var db = databases.Open(tenant);
        if (!await WrongCodeCounter.TryAddAsync(db, browserKey, WrongCodeCounter.CallerWindow, settings.WrongPerBrowserPerHour, now, ct))
        {
            return (WebCodeCheck.TooMany, null, await WrongCodeCounter.WindowLeftAsync(db, browserKey, WrongCodeCounter.CallerWindow, now, ct));
        }

        if (!await WrongCodeCounter.TryAddAsync(db, addressKey, WrongCodeCounter.CallerWindow, settings.WrongPerAddressPerHour, now, ct))
        {
            await WrongCodeCounter.RefundOrKeepAsync(db, browserKey, logger, ct); // not looked at: the browser's try is not spent
            return (WebCodeCheck.TooMany, null, await WrongCodeCounter.WindowLeftAsync(db, addressKey, WrongCodeCounter.CallerWindow, now, ct));
        }

        var contact = code.Length == settings.Length && code.All(char.IsAsciiDigit)
            ? await LiveCount(db, now).AsNoTracking().FirstOrDefaultAsync(s => s.Code == code, ct)
            : null;
        if (contact is not null && spend)
        {
            var spent = await db.Sessions
                .Where(s => s.Id == contact.Id && s.Code == code)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.Code, (string?)null).SetProperty(s => s.CodeExpiresAt, (DateTimeOffset?)null).SetProperty(s => s.LastActivityAt, now), ct);
            contact = spent == 1 ? contact : null;
        }

        if (contact is null)
        {
            await alarm.CountAsync(db, tenant, "on the web", now, ct);
            return (WebCodeCheck.Wrong, null, TimeSpan.Zero);
        }

        // The code may be spent already: a failed give-back must not lose the resident's sign-in.
        await WrongCodeCounter.RefundOrKeepAsync(db, addressKey, logger, ct);
        await WrongCodeCounter.RefundOrKeepAsync(db, browserKey, logger, ct);
        if (spend)
        {
            await notifier.ChangedAsync(tenant);
        }

        return (WebCodeCheck.Right, contact, TimeSpan.Zero);
    }

    /// <summary>
    /// The sign-in could not be started (the core failed): the spent code is put back until it expires, as it was, unless
    /// a result arrived meanwhile or another contact drew the same code (then the agent gives a new one).
    /// </summary>
    public async Task RestoreAsync(string tenant, ContactSession contact, CancellationToken ct)
    {
        await using var db = databases.Open(tenant);
        try
        {
            await db.Sessions
                .Where(s => s.Id == contact.Id && s.Code == null && s.ResultToken == null)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.Code, contact.Code).SetProperty(s => s.CodeExpiresAt, contact.CodeExpiresAt), ct);
        }
        catch (DbUpdateException e) when (StoreErrors.IsUniqueViolation(e))
        {
            // The code is someone else's now; this one stays spent.
        }

        await notifier.ChangedAsync(tenant);
    }

    /// <summary>The agent cancels or ends their web identification: the contact and its data are deleted (P9).</summary>
    public async Task<bool> EndAsync(string tenant, string id, Agent agent, CancellationToken ct)
    {
        await using var db = databases.Open(tenant);
        var deleted = await db.Sessions
            .Where(Identifications).Where(s => s.Id == id && s.AgentId == agent.Id)
            .ExecuteDeleteAsync(ct);
        if (deleted > 0)
        {
            await notifier.ChangedAsync(tenant);
        }

        return deleted > 0;
    }

    /// <summary>A web identification of this tenant, by id (the resident's page after sign-in).</summary>
    public async Task<ContactSession?> FindAsync(string tenant, string id, CancellationToken ct)
    {
        await using var db = databases.Open(tenant);
        return await db.Sessions.AsNoTracking().Where(Identifications).FirstOrDefaultAsync(s => s.Id == id, ct);
    }
}
