using System.Text.Json;
using IdContact.Desk.Exchange;
using IdContact.Desk.Sessions;
using Microsoft.EntityFrameworkCore;

namespace IdContact.Desk.Tests;

/// <summary>
/// The exchange's give-backs fail safe: a database that refuses one leaves the tries counted, and the exchange still
/// gets its answer (locked, or matched once the code was swapped).
/// </summary>
public abstract partial class DeskStoreTests<TServer>
{
    [Fact]
    public async Task A_locked_call_whose_callers_try_the_database_fails_to_give_back_still_answers_locked()
    {
        var (caller, call) = NewCallerAndCall();
        var (code, _, _) = await desk.StartPhoneAsync(desk.TenantA);
        for (var i = 0; i < CallAttempt.Max; i++)
        {
            await IdentifyStatusAsync(WrongCode, call, caller);
        }

        var callerKey = await WrongCodeCounter.CallerKeyAsync(desk.Hashes, desk.TenantA, caller, CancellationToken.None);
        await using (await RefusingTrigger.RefundsOfAsync(desk.Databases, desk.TenantA, callerKey))
        {
            var (status, body) = await IdentifyStatusAsync(code, call, caller);
            Assert.Equal((200, "locked"), (status, body.GetProperty("result").GetString()));
        }

        // Fail safe: the locked call's try stays counted on the caller; the warning names no key.
        Assert.Equal(CallAttempt.Max + 1, await CallerCountAsync(callerKey));
        Assert.Contains(desk.Logs.Messages, m => m.StartsWith(typeof(CallIdentification).FullName + ": A counted attempt was not given back", StringComparison.Ordinal));
        Assert.DoesNotContain(desk.Logs.Messages, m => m.Contains(callerKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_match_whose_give_back_the_database_refuses_is_answered_on_sqlite_and_undone_whole_on_postgres()
    {
        var postgres = typeof(TServer) == typeof(PostgresDeskServer);
        var (caller, call) = NewCallerAndCall();
        var (code, attrUrl, _) = await desk.StartPhoneAsync(desk.TenantA);
        var callerKey = await WrongCodeCounter.CallerKeyAsync(desk.Hashes, desk.TenantA, caller, CancellationToken.None);
        int status;
        JsonElement body;
        await using (await RefusingTrigger.RefundsOfAsync(desk.Databases, desk.TenantA, callerKey))
        {
            (status, body) = await IdentifyStatusAsync(code, call, caller);
        }

        await using var db = desk.Databases.Open(desk.TenantA);
        var session = await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == attrUrl.Split('/').Last());
        if (postgres)
        {
            // One statement: the swap went with the refused give-back, so the code is still live for the exchange's retry.
            Assert.NotEqual(200, status);
            Assert.Equal((code, ContactState.Waiting), (session.Code, session.State));
            Assert.Equal("matched", (await IdentifyStatusAsync(code, call, caller)).Body.GetProperty("result").GetString());
            return;
        }

        // SQLite: the swap was committed before the give-back failed; the match is answered and the caller's try stays counted.
        Assert.Equal((200, "matched"), (status, body.GetProperty("result").GetString()));
        Assert.Equal(Secrets.Hash(body.GetProperty("session_secret").GetString()!), session.SecretHash);
        Assert.Equal((null, ContactState.Queued), (session.Code, session.State));
        Assert.Equal(1, await CallerCountAsync(callerKey));
        Assert.Contains(desk.Logs.Messages, m => m.StartsWith(typeof(CallIdentification).FullName + ": A matched call's tries were not given back", StringComparison.Ordinal));
    }

    private static (string Caller, string Call) NewCallerAndCall() =>
        ("+3161" + Random.Shared.Next(1_000_000, 9_999_999), "give-back-" + Guid.NewGuid().ToString("N")[..8]);

    private async Task<(int Status, JsonElement Body)> IdentifyStatusAsync(string code, string callId, string caller) =>
        await desk.ExchangeAsync(desk.TenantA, "identify", new { code, call_id = callId, caller }, DeskServer.KeyA);

    private async Task<int> CallerCountAsync(string callerKey)
    {
        await using var db = desk.Databases.Open(desk.TenantA);
        return await db.WrongCodeWindows.Where(w => w.Key == callerKey).Select(w => w.Count).SingleAsync();
    }
}
