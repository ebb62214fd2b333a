using IdContact.Desk.Exchange;
using IdContact.Desk.Phone;
using IdContact.Desk.Sessions;
using IdContact.Desk.Tenants;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdContact.Desk.Tests;

/// <summary>
/// A client that drops its request (a closed tab, a proxy's timeout) after its try of a code was counted: the check runs
/// to its end all the same, so a right code's try is given back and a spent code reaches the step that restores it.
/// PostgreSQL only: the request is held at the session's row by a real row lock in a second connection while its token is
/// cancelled, and PostgreSQL cancels a running statement with the token (SQLite serialises writes, there is no such lock).
/// </summary>
public sealed class DroppedRequestTests(PostgresDeskServer desk) : IClassFixture<PostgresDeskServer>
{
    [Fact]
    public async Task A_web_code_request_dropped_while_its_right_code_is_spent_gives_the_tries_back_and_the_code_to_the_sign_in_step()
    {
        await DeskAgent.CreateAsync(desk.Databases, desk.TenantA, "dropped-web");
        var agent = (await DeskAgent.FindAsync(desk.Databases, desk.TenantA, "dropped-web"))!;
        var codes = desk.Server.App.Services.GetRequiredService<WebCodes>();
        var contact = (await codes.CreateAsync(desk.TenantA, agent, "report_move", CancellationToken.None))!;
        var (browser, address) = (Guid.NewGuid().ToString("N"), "192.0.2.181");

        // Until 2026-11-29 the spend was cancelled with the request: the code stayed live, but the browser's and the
        // address's tries stayed counted for a right code (and a drop after the spend kept the code spent, with nobody to
        // give it back).
        var (check, spent, _) = await WhileDroppedAtTheRowAsync(contact.Id, ct => codes.CheckAsync(desk.TenantA, contact.Code!, address, browser, spend: true, ct));

        Assert.Equal(WebCodeCheck.Right, check);
        Assert.Equal(contact.Id, spent!.Id);
        Assert.Equal(0, await CountAsync(WebCodes.BrowserKey(browser)));
        Assert.Equal(0, await CountAsync(await WebCodes.AddressKeyAsync(desk.Hashes, desk.TenantA, address, CancellationToken.None)));
    }

    [Fact]
    public async Task An_exchange_request_dropped_while_its_right_code_is_swapped_gives_the_callers_try_back()
    {
        var (code, attrUrl, _) = await desk.StartPhoneAsync(desk.TenantA);
        var (caller, call) = ("+3161" + Random.Shared.Next(1000000, 9999999), "dropped-" + Guid.NewGuid().ToString("N"));
        var calls = desk.Server.App.Services.GetRequiredService<CallIdentification>();

        // Until 2026-11-29 the swap (with its give-back, one statement) was cancelled with the request: the caller's try
        // stayed counted for a right code, and the exchange's retry was counted once more.
        var answer = await WhileDroppedAtTheRowAsync(attrUrl.Split('/')[^1], ct => calls.IdentifyAsync(desk.TenantA, code, call, caller, ct));

        Assert.Equal("matched", answer.Result);
        Assert.Equal(0, await CountAsync(await WrongCodeCounter.CallerKeyAsync(desk.Hashes, desk.TenantA, caller, CancellationToken.None)));
        await using var db = desk.Databases.Open(desk.TenantA);
        Assert.False(await db.CallAttempts.AnyAsync(a => a.CallId == call));
    }

    /// <summary>Locks the session's row, starts <paramref name="request"/>, waits until it waits for that lock, drops it (cancels its token), then lets it go on.</summary>
    private async Task<T> WhileDroppedAtTheRowAsync<T>(string sessionId, Func<CancellationToken, Task<T>> request)
    {
        using var dropped = new CancellationTokenSource();
        Task<T> running;
        await using (var db = desk.Databases.Open(desk.TenantA))
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM \"Sessions\" WHERE \"Id\" = {sessionId} FOR UPDATE");
            running = request(dropped.Token);
            await using (var watcher = desk.Databases.Open(desk.TenantA))
            {
                for (var polls = 0; !await LockWaitedAsync(watcher); polls++)
                {
                    Assert.True(polls < 600 && !running.IsCompleted, "the request never reached the locked row");
                    await Task.Delay(50);
                }

                await dropped.CancelAsync();
                // A cancelled statement stops waiting for the lock (and the request fails) before the lock is let go.
                for (var polls = 0; polls < 20 && await LockWaitedAsync(watcher); polls++)
                {
                    await Task.Delay(50);
                }
            }

            await transaction.RollbackAsync();
        }

        return await running;
    }

    private static async Task<bool> LockWaitedAsync(DeskDbContext watcher) =>
        await watcher.Database.SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'").SingleAsync() > 0;

    private async Task<int> CountAsync(string key)
    {
        await using var db = desk.Databases.Open(desk.TenantA);
        return await db.WrongCodeWindows.Where(w => w.Key == key).Select(w => w.Count).SingleOrDefaultAsync();
    }
}
