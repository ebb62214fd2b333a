using System.Diagnostics.Metrics;
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

/// <summary>A DTMF code cannot be guessed: limits per call, per caller number and a tenant-wide alert, on both databases.</summary>
public abstract partial class DeskStoreTests<TServer>
{
    // Seven digits: never issued while DtmfLength is 6, so always wrong.
    private const string WrongCode = "0000000";

    [Fact]
    public async Task A_caller_number_gets_ten_wrong_codes_an_hour_over_all_its_calls()
    {
        const string caller = "+31611111111";
        var results = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            // Three tries per call, then a new call: only the caller number ties them together.
            results.Add(await desk.IdentifyAsync(desk.TenantC, WrongCode, $"caller-limit-{i / 3}", caller));
        }

        Assert.DoesNotContain("caller_blocked", results);
        var (code, _, _) = await desk.StartPhoneAsync(desk.TenantC);
        Assert.Equal("caller_blocked", await desk.IdentifyAsync(desk.TenantC, WrongCode, "caller-limit-new", caller));
        Assert.Equal("caller_blocked", await desk.IdentifyAsync(desk.TenantC, code, "caller-limit-new-2", caller));
        Assert.Equal("matched", await desk.IdentifyAsync(desk.TenantC, code, "caller-limit-other", "+31699999999"));

        var anHourLater = desk.Calls(new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(61)));
        Assert.Equal("wrong_code", (await anHourLater.IdentifyAsync(desk.TenantC, WrongCode, "caller-limit-later", caller, CancellationToken.None)).Result);
    }

    [Fact]
    public async Task Withheld_and_missing_numbers_share_one_count()
    {
        string?[] withheld = ["anonymous", null, " Anonymous ", ""];
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal("wrong_code", await desk.IdentifyAsync(desk.TenantC, WrongCode, $"withheld-{i}", withheld[i % withheld.Length]));
        }

        foreach (var caller in withheld)
        {
            Assert.Equal("caller_blocked", await desk.IdentifyAsync(desk.TenantC, WrongCode, "withheld-next", caller));
        }
    }

    [Fact]
    public async Task Parallel_wrong_codes_on_one_call_count_three_and_lock()
    {
        const string caller = "+31622222222";
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => desk.IdentifyAsync(desk.TenantC, WrongCode, "parallel-call", caller)));

        Assert.All(results, r => Assert.Contains(r, new[] { "wrong_code", "locked" }));
        await using var db = desk.Databases.Open(desk.TenantC);
        Assert.Equal(3, (await db.CallAttempts.SingleAsync(a => a.CallId == "parallel-call")).Failures);
        // The seven refused ones were never checked, so they do not count against the caller either.
        var key = await WrongCodeCounter.CallerKeyAsync(desk.Hashes, desk.TenantC, caller, CancellationToken.None);
        Assert.Equal(3, (await db.WrongCodeWindows.SingleAsync(w => w.Key == key)).Count);
    }

    [Fact]
    public async Task Parallel_wrong_codes_from_one_number_stop_at_its_limit()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 15).Select(i => desk.IdentifyAsync(desk.TenantC, WrongCode, $"parallel-caller-{i}", "+31633333333")));

        Assert.Equal(10, results.Count(r => r == "wrong_code"));
        Assert.Equal(5, results.Count(r => r == "caller_blocked"));
    }

    [Fact]
    public async Task Wrong_codes_at_the_exchange_and_on_the_web_past_the_tenant_threshold_raise_one_warning_and_one_alert_metric()
    {
        long wrongCodes = 0, alerts = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == DeskMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (tags.ToArray().Contains(new KeyValuePair<string, object?>("tenant", desk.TenantC)))
            {
                if (instrument.Name == "idcontact.desk.wrong_codes")
                {
                    Interlocked.Add(ref wrongCodes, value);
                }
                else if (instrument.Name == "idcontact.desk.wrong_code_alerts")
                {
                    Interlocked.Add(ref alerts, value);
                }
            }
        });
        listener.Start();

        // The other tests in tenant C may have raised their own alerts, in their own minutes.
        int Warnings() => desk.Logs.Messages.Count(m => m.Contains($"{desk.TenantC}: more than {DeskServer.AlertPerMinuteC} wrong codes within a minute", StringComparison.Ordinal));
        var warningsBefore = Warnings();

        // A minute of its own, so the other tests' wrong codes in tenant C do not share this window.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(30));
        var calls = desk.Calls(clock);
        string[] callers = ["+31644444441", "+31644444442", "+31644444443"];
        for (var i = 0; i < DeskServer.AlertPerMinuteC; i++)
        {
            await calls.IdentifyAsync(desk.TenantC, WrongCode, $"alert-{i / 3}", callers[i / 3], CancellationToken.None);
        }

        Assert.Equal(DeskServer.AlertPerMinuteC, Interlocked.Read(ref wrongCodes));
        Assert.Equal(0, Interlocked.Read(ref alerts));
        Assert.Equal(warningsBefore, Warnings());
        // The same minute's wrong codes typed on the caller's web page (Beller identificeren) count with them.
        var webCodes = ActivatorUtilities.CreateInstance<Phone.WebCodes>(desk.Server.App.Services, clock as TimeProvider);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(Phone.WebCodeCheck.Wrong, (await webCodes.CheckAsync(desk.TenantC, "00000000", $"192.0.2.{i + 1}", Guid.NewGuid().ToString(), spend: false, CancellationToken.None)).Check);
        }

        Assert.Equal(DeskServer.AlertPerMinuteC + 3, Interlocked.Read(ref wrongCodes));
        Assert.Equal(1, Interlocked.Read(ref alerts));
        Assert.Equal(warningsBefore + 1, Warnings());
        Assert.DoesNotContain(desk.Logs.Messages, m => callers.Any(c => m.Contains(c[1..], StringComparison.Ordinal)) || m.Contains(WrongCode, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Retention_forgets_a_callers_count_when_its_hour_is_over()
    {
        const string caller = "+31655555555";
        Assert.Equal("wrong_code", await desk.IdentifyAsync(desk.TenantC, WrongCode, "forget-1", caller));
        var key = await WrongCodeCounter.CallerKeyAsync(desk.Hashes, desk.TenantC, caller, CancellationToken.None);
        Assert.DoesNotContain(caller[1..], key, StringComparison.Ordinal);

        await desk.Retention(new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(30))).SweepAsync(CancellationToken.None);
        Assert.True(await CountExists(key));
        await desk.Retention(new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(61))).SweepAsync(CancellationToken.None);
        Assert.False(await CountExists(key));
    }

    private async Task<bool> CountExists(string key)
    {
        await using var db = desk.Databases.Open(desk.TenantC);
        return await db.WrongCodeWindows.AnyAsync(w => w.Key == key);
    }
}
