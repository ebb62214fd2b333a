using IdContact.Desk.Exchange;
using IdContact.Desk.Sessions;
using IdContact.Desk.Tenants;
using IdContact.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Agents;

/// <summary>
/// Wrong sign-in attempts per client address (an IPv6 one by its /64) per hour, over all accounts of a municipality
/// (<see cref="SignIn.DeskSignInOptions.WrongPerAddressPerHour"/>): the per-account lockout stops guessing one password,
/// this stops spreading guesses over many accounts. Counted like wrong web codes (<see cref="WrongCodeCounter"/>), in
/// the tenant's database so every desk instance sees the same count: an attempt is counted before the password or code
/// is checked (parallel requests get no tries beyond the budget) and given back when it was right.
/// </summary>
public sealed class SignInBudget(TenantDatabases databases, TimeProvider time, IOptions<IdContactOptions> options, IdentifierHashes hashes, ILogger<SignInBudget> logger, DeskMetrics metrics)
{
    /// <summary>The count key of a client address; only a keyed hash is stored.</summary>
    public static async Task<string> AddressKeyAsync(IdentifierHashes hashes, string tenant, string? address, CancellationToken ct) =>
        "signin:" + await hashes.HashAsync(tenant, "signin", ClientAddress.Key(address), ct);

    /// <summary>The count key of a device cookie (<see cref="DeviceCookies"/>); only a hash of its id is stored.</summary>
    public static string DeviceKey(string device) => "device:" + Secrets.Hash(device);

    /// <summary>
    /// Wrong attempts one device cookie may make per hour before it counts as none for the rest of the hour. A constant:
    /// the account's own lockout (5) comes first for its agent; this only bounds a stolen cookie's extra tries.
    /// </summary>
    public const int WrongPerDevicePerHour = 10;

    private int Limit(string tenant) => options.Value.Tenants[tenant].Desk().SignIn.WrongPerAddressPerHour;

    /// <summary>Counts one attempt for the address before it is checked; false when its budget for this hour is spent.</summary>
    public async Task<bool> TryReserveAsync(string tenant, string? address, CancellationToken ct)
    {
        await using var db = databases.Open(tenant);
        return Counted(tenant, "sign_in_address", await WrongCodeCounter.TryAddAsync(db, await AddressKeyAsync(hashes, tenant, address, ct), WrongCodeCounter.CallerWindow, Limit(tenant), time.GetUtcNow(), ct));
    }

    /// <summary>Counts one attempt for a known device instead of its address; false when the device's budget for this hour is spent.</summary>
    public async Task<bool> TryReserveDeviceAsync(string tenant, string device, CancellationToken ct)
    {
        await using var db = databases.Open(tenant);
        return Counted(tenant, "sign_in_device", await WrongCodeCounter.TryAddAsync(db, DeviceKey(device), WrongCodeCounter.CallerWindow, WrongPerDevicePerHour, time.GetUtcNow(), ct));
    }

    /// <summary>A refused attempt is counted in <c>idcontact.desk.limit_refusals</c> (the tenant is a configured one: <see cref="Limit"/>).</summary>
    private bool Counted(string tenant, string limit, bool reserved)
    {
        if (!reserved)
        {
            metrics.LimitRefused(tenant.ToLowerInvariant(), limit);
        }

        return reserved;
    }

    /// <summary>Gives back the attempt counted by <see cref="TryReserveAsync"/>: it was right. A failing database keeps it spent.</summary>
    public async Task RefundAsync(string tenant, string? address, CancellationToken ct) => await RefundKeyAsync(tenant, await AddressKeyAsync(hashes, tenant, address, ct), ct);

    /// <summary>Gives back the attempt counted by <see cref="TryReserveDeviceAsync"/>, as <see cref="RefundAsync"/>.</summary>
    public Task RefundDeviceAsync(string tenant, string device, CancellationToken ct) => RefundKeyAsync(tenant, DeviceKey(device), ct);

    private async Task RefundKeyAsync(string tenant, string key, CancellationToken ct)
    {
        await using var db = databases.Open(tenant);
        await WrongCodeCounter.RefundOrKeepAsync(db, key, logger, ct);
    }

    /// <summary>
    /// A refused address: how long until its window ends (for Retry-After), and whether this is the first refusal of the
    /// window (one conditional update on the window's Alerted flag, reset with each new window), so a flood is noted once.
    /// </summary>
    public async Task<(TimeSpan RetryAfter, bool First)> RefusedAsync(string tenant, string? address, CancellationToken ct)
    {
        var key = await AddressKeyAsync(hashes, tenant, address, ct);
        var now = time.GetUtcNow();
        await using var db = databases.Open(tenant);
        var first = await db.WrongCodeWindows.Where(w => w.Key == key && !w.Alerted)
            .ExecuteUpdateAsync(u => u.SetProperty(w => w.Alerted, true), ct) > 0;
        return (await WrongCodeCounter.WindowLeftAsync(db, key, WrongCodeCounter.CallerWindow, now, ct), first);
    }
}
