using System.Security.Cryptography;
using System.Text.Json;
using IdContact.Desk.Sessions;
using IdContact.Desk.Tenants;
using IdContact.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Agents;

/// <summary>
/// OWASP's device cookies ("Slow brute force with device cookies"): a browser an agent signed in from before proves it
/// with a cookie of its own, so its attempts for that account spend a small budget of that device
/// (<see cref="SignInBudget.TryReserveDeviceAsync"/>) instead of the client address's, which a guesser behind the
/// same NAT may have spent. Protected by Data Protection (its own purpose, per tenant) and bound to the account and its
/// security stamp: another account or tenant, a tampered, expired or pre-reset cookie counts as none.
/// </summary>
public sealed class DeviceCookies(IDataProtectionProvider protection, TimeProvider time, IOptions<IdContactOptions> options)
{
    /// <summary>
    /// A constant, not a setting: long enough that an agent back from holiday still has it, short enough that a
    /// forgotten browser loses it; every right sign-in issues a fresh one.
    /// </summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(90);

    private const string Purpose = "IdContact.Desk.DeviceCookie";

    /// <summary>One cookie per account, so agents sharing a workstation each keep theirs; the name shows no account.</summary>
    public static string Name(string tenant, string agentId) => "idcontact.device." + Secrets.Hash(tenant + "/" + agentId)[..16].ToLowerInvariant();

    /// <summary>Whether the request brings any device cookie at all: only then is the account looked up first.</summary>
    public static bool Any(HttpContext http) => http.Request.Cookies.Keys.Any(k => k.StartsWith("idcontact.device.", StringComparison.Ordinal));

    /// <summary>The protected value of a new device cookie of <paramref name="agent"/>, issued now.</summary>
    public string Value(string tenant, Agent agent) => Protector(tenant).Protect(JsonSerializer.Serialize(
        new Payload(agent.Id, Secrets.NewId(), StampHash(agent), time.GetUtcNow().ToUnixTimeSeconds())));

    /// <summary>Sets a fresh device cookie after a right sign-in: for the tenant's desk only, like the sign-in cookie.</summary>
    public void Issue(HttpContext http, Agent agent)
    {
        var tenant = http.TenantTag();
        http.Response.Cookies.Append(Name(tenant, agent.Id), Value(tenant, agent), new CookieOptions
        {
            Path = DeskCookiePath.For(http),
            HttpOnly = true,
            // As the sign-in cookie (DeskRole): https only, but over plain http in demo mode.
            Secure = !options.Value.IsDemo || http.Request.IsHttps,
            SameSite = SameSiteMode.Strict,
            MaxAge = Lifetime,
            IsEssential = true,
        });
    }

    /// <summary>
    /// The id of the valid device cookie this request brings for <paramref name="agent"/>, or null: none, tampered,
    /// another tenant's or account's, expired, or issued before the account's security stamp changed (reset, deletion).
    /// </summary>
    public string? DeviceOf(HttpContext http, Agent? agent)
    {
        var tenant = http.TenantTag();
        if (agent is null || http.Request.Cookies[Name(tenant, agent.Id)] is not { Length: > 0 and <= 4096 } value)
        {
            return null;
        }

        try
        {
            var payload = JsonSerializer.Deserialize<Payload>(Protector(tenant).Unprotect(value));
            var issued = DateTimeOffset.FromUnixTimeSeconds(payload?.Issued ?? 0);
            var now = time.GetUtcNow();
            return payload is not null && payload.Agent == agent.Id && payload.Stamp == StampHash(agent) && issued <= now && now - issued < Lifetime
                ? payload.Device
                : null;
        }
        catch (Exception e) when (e is CryptographicException or FormatException or JsonException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private IDataProtector Protector(string tenant) => protection.CreateProtector(Purpose, tenant);

    /// <summary>Only a hash of the stamp travels, so the cookie holds nothing Identity uses itself.</summary>
    private static string StampHash(Agent agent) => Secrets.Hash(agent.SecurityStamp ?? "");

    private sealed record Payload(string Agent, string Device, string Stamp, long Issued);
}
