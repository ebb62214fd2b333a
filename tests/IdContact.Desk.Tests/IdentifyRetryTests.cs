using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using IdContact.Desk.Exchange;
using IdContact.Desk.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace IdContact.Desk.Tests;

/// <summary>
/// The exchange may retry identify when the answer was lost after the match (desk killed, proxy timeout): the same call
/// with the same code answers matched again, costs no try, and the code stays single use for everyone else.
/// </summary>
public abstract partial class DeskStoreTests<TServer>
{
    [Fact]
    public async Task A_retry_of_a_matched_identify_answers_matched_with_a_new_secret_and_costs_no_try()
    {
        const string caller = "+31677770001", call = "retry-matched";
        var (code, attrUrl, _) = await desk.StartPhoneAsync(desk.TenantA);
        Assert.Equal("wrong_code", (await IdentifyAsync(WrongCode, call, caller)).GetProperty("result").GetString());
        var first = await IdentifyAsync(code, call, caller);
        Assert.Equal("matched", first.GetProperty("result").GetString());
        var before = await CountsAsync(call, caller);
        Assert.Equal((0, 1), (before.Call, before.Caller));

        using var wrongCodes = new WrongCodeMetric(desk.TenantA);
        var retried = await IdentifyAsync(code, call, caller);

        Assert.Equal("matched", retried.GetProperty("result").GetString());
        Assert.Equal("report_move", retried.GetProperty("purpose").GetString());
        var secret = retried.GetProperty("session_secret").GetString()!;
        Assert.True(secret.Length >= 43);
        Assert.NotEqual(first.GetProperty("session_secret").GetString(), secret);
        Assert.Equal(before, await CountsAsync(call, caller));
        Assert.Equal(0, wrongCodes.Count);

        var id = attrUrl.Split('/').Last();
        await DeskAgent.CreateAsync(desk.Databases, desk.TenantA, "retry-taker");
        var agentId = (await DeskAgent.FindAsync(desk.Databases, desk.TenantA, "retry-taker"))!.Id;
        await using (var db = desk.Databases.Open(desk.TenantA))
        {
            // Still the one session in the queue; only the new secret's hash is kept, and not the code.
            var session = await db.Sessions.AsNoTracking().SingleAsync(s => s.CallId == call);
            Assert.Equal((id, ContactState.Queued, null), (session.Id, session.State, session.Code));
            Assert.Equal(Secrets.Hash(secret), session.SecretHash);
            Assert.Matches("^[0-9A-F]{64}$", session.CallCodeHash!);
            Assert.DoesNotContain(code, session.CallCodeHash!, StringComparison.Ordinal);

            // An agent takes the call: a retry changes nothing but the secret.
            await db.Sessions.Where(s => s.Id == id).ExecuteUpdateAsync(u => u.SetProperty(s => s.State, ContactState.Active).SetProperty(s => s.AgentId, agentId));
        }

        var taken = await LoadAsync(id);
        var again = await IdentifyAsync(code, call, caller);
        Assert.Equal("matched", again.GetProperty("result").GetString());
        var after = await LoadAsync(id);
        Assert.Equal((ContactState.Active, agentId, taken.LastActivityAt), (after.State, after.AgentId, after.LastActivityAt));
        Assert.Equal(Secrets.Hash(again.GetProperty("session_secret").GetString()!), after.SecretHash);
        Assert.NotEqual(taken.SecretHash, after.SecretHash);
        Assert.Equal(before, await CountsAsync(call, caller));

        // The call still has all three tries: the retries took none.
        Assert.Equal(2, (await IdentifyAsync(WrongCode, call, caller)).GetProperty("attempts_left").GetInt32());
        Assert.Equal(1, (await IdentifyAsync(WrongCode, call, caller)).GetProperty("attempts_left").GetInt32());
        Assert.Equal("locked", (await IdentifyAsync(WrongCode, call, caller)).GetProperty("result").GetString());
        Assert.Equal(3, wrongCodes.Count);
    }

    [Fact]
    public async Task A_used_code_stays_single_use_for_other_calls_and_wrong_codes_on_the_matched_call_still_count()
    {
        const string caller = "+31677770002", call = "retry-own", other = "retry-other";
        var (code, _, _) = await desk.StartPhoneAsync(desk.TenantA);
        Assert.Equal("matched", (await IdentifyAsync(code, call, caller)).GetProperty("result").GetString());

        // Another call with the used code: a wrong try, counted on that call and the caller.
        var stolen = await IdentifyAsync(code, other, caller);
        Assert.Equal(("wrong_code", 2), (stolen.GetProperty("result").GetString(), stolen.GetProperty("attempts_left").GetInt32()));
        var otherCounts = await CountsAsync(other, caller);
        Assert.Equal((1, 1), (otherCounts.Call, otherCounts.Caller));

        // The matched call with another code: counted.
        var wrong = await IdentifyAsync(WrongCode, call, caller);
        Assert.Equal(("wrong_code", 2), (wrong.GetProperty("result").GetString(), wrong.GetProperty("attempts_left").GetInt32()));
        var counted = await CountsAsync(call, caller);
        Assert.Equal((1, 2), (counted.Call, counted.Caller));

        // A retry in between gives back exactly the try it took: the wrong one above still counts.
        Assert.Equal("matched", (await IdentifyAsync(code, call, caller)).GetProperty("result").GetString());
        Assert.Equal(counted, await CountsAsync(call, caller));
        Assert.Equal(1, (await IdentifyAsync(WrongCode, call, caller)).GetProperty("attempts_left").GetInt32());
        Assert.Equal("locked", (await IdentifyAsync(WrongCode, call, caller)).GetProperty("result").GetString());
    }

    [Fact]
    public async Task After_the_call_ended_a_retry_is_a_wrong_code()
    {
        const string caller = "+31677770003", call = "retry-ended";
        var (code, _, _) = await desk.StartPhoneAsync(desk.TenantA);
        Assert.Equal("matched", (await IdentifyAsync(code, call, caller)).GetProperty("result").GetString());
        Assert.Equal(1, (await desk.ExchangeAsync(desk.TenantA, "ended", new { call_id = call }, DeskServer.KeyA)).Body.GetProperty("deleted").GetInt32());

        using var wrongCodes = new WrongCodeMetric(desk.TenantA);
        var retried = await IdentifyAsync(code, call, caller);
        Assert.Equal(("wrong_code", 2), (retried.GetProperty("result").GetString(), retried.GetProperty("attempts_left").GetInt32()));
        Assert.Equal(1, wrongCodes.Count);
        await using var db = desk.Databases.Open(desk.TenantA);
        Assert.False(await db.Sessions.AnyAsync(s => s.CallId == call));
    }

    [Fact]
    public async Task Identical_identifies_in_parallel_all_answer_matched_and_the_last_written_secret_is_kept()
    {
        const string caller = "+31677770004", call = "retry-parallel";
        var (code, _, _) = await desk.StartPhoneAsync(desk.TenantA);
        using var wrongCodes = new WrongCodeMetric(desk.TenantA);

        // The first request racing its retries (the exchange gave up waiting), then retries racing each other. Three at
        // once: each is counted as a try until it is recognised, and a call has three.
        for (var round = 0; round < 2; round++)
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, CallAttempt.Max).Select(_ => IdentifyAsync(code, call, caller)));

            Assert.All(answers, a => Assert.Equal("matched", a.GetProperty("result").GetString()));
            var secrets = answers.Select(a => a.GetProperty("session_secret").GetString()!).ToList();
            Assert.Equal(secrets.Count, secrets.Distinct().Count());
            Assert.Contains((await LoadByCallAsync(call)).SecretHash, secrets.Select(Secrets.Hash));
            var counts = await CountsAsync(call, caller);
            Assert.Equal((0, 0), (counts.Call, counts.Caller));
        }

        Assert.Equal(0, wrongCodes.Count);
    }

    [Fact]
    public async Task A_first_match_sends_no_more_statements_than_before_and_a_retry_one_more()
    {
        // Issue 12 counts database round trips per flow: the retry check runs only where the code did not match.
        var postgres = typeof(TServer) == typeof(PostgresDeskServer);
        var calls = desk.Calls(TimeProvider.System);
        var (code, _, _) = await desk.StartPhoneAsync(desk.TenantA);
        using var statements = new StatementCounter();
        await using (var db = desk.Databases.Open(desk.TenantA))
        {
            // A pooled context that saw no listener skips the check for LoggingCacheTime: wait until that has run out.
            await Task.Delay(db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()!.LoggingCacheTime + TimeSpan.FromMilliseconds(100));
        }

        var first = await statements.CountAsync(() => calls.IdentifyAsync(desk.TenantA, code, "retry-statements", "+31677770005", CancellationToken.None));
        var retried = await statements.CountAsync(() => calls.IdentifyAsync(desk.TenantA, code, "retry-statements", "+31677770005", CancellationToken.None));

        // PostgreSQL: count, swap with give-back (WITH clauses). SQLite: caller, call, swap, give-back.
        Assert.Equal(("matched", postgres ? 2 : 4), (first.Result.Result, first.Statements));
        Assert.Equal(("matched", postgres ? 3 : 5), (retried.Result.Result, retried.Statements));
    }

    private async Task<JsonElement> IdentifyAsync(string code, string callId, string caller)
    {
        var (status, body) = await desk.ExchangeAsync(desk.TenantA, "identify", new { code, call_id = callId, caller }, DeskServer.KeyA);
        Assert.True(status == 200, body.ToString());
        return body;
    }

    /// <summary>The call's wrong tries, the caller's count and the tenant-wide count (no row counts as 0).</summary>
    private async Task<(int Call, int Caller, int Tenant)> CountsAsync(string callId, string caller)
    {
        await using var db = desk.Databases.Open(desk.TenantA);
        var callerKey = await WrongCodeCounter.CallerKeyAsync(desk.Hashes, desk.TenantA, caller, CancellationToken.None);
        return (
            await db.CallAttempts.Where(a => a.CallId == callId).Select(a => a.Failures).SingleOrDefaultAsync(),
            await db.WrongCodeWindows.Where(w => w.Key == callerKey).Select(w => w.Count).SingleOrDefaultAsync(),
            await db.WrongCodeWindows.Where(w => w.Key == WrongCodeCounter.TenantKey).Select(w => w.Count).SingleOrDefaultAsync());
    }

    private async Task<ContactSession> LoadByCallAsync(string callId)
    {
        await using var db = desk.Databases.Open(desk.TenantA);
        return await db.Sessions.AsNoTracking().SingleAsync(s => s.CallId == callId);
    }

    private async Task<ContactSession> LoadAsync(string id)
    {
        await using var db = desk.Databases.Open(desk.TenantA);
        return await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == id);
    }

    /// <summary>Counts metric idcontact.desk.wrong_codes for one tenant while it lives.</summary>
    private sealed class WrongCodeMetric : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _count;

        public WrongCodeMetric(string tenant)
        {
            _listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == DeskMetrics.MeterName && instrument.Name == "idcontact.desk.wrong_codes")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                if (tags.ToArray().Contains(new KeyValuePair<string, object?>("tenant", tenant)))
                {
                    Interlocked.Add(ref _count, value);
                }
            });
            _listener.Start();
        }

        public long Count => Interlocked.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }
}
