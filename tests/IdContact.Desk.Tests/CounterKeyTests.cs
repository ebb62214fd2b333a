using IdContact.Desk.Agents;
using IdContact.Desk.Exchange;
using IdContact.Desk.Phone;
using IdContact.Desk.Sessions;
using IdContact.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdContact.Desk.Tests;

/// <summary>
/// Counters keep a keyed hash of a client address or caller number (docs/security.md, section 15): not
/// the unkeyed SHA-256 an older version stored, which a database copy turns back by trying every address or number,
/// and another tenant's differs for the same identifier. The counts still count.
/// </summary>
public abstract partial class DeskStoreTests<TServer>
{
    [Fact]
    public async Task Counters_store_a_keyed_hash_of_the_address_and_the_number_that_differs_per_tenant()
    {
        var services = desk.Server.App.Services;
        var none = CancellationToken.None;
        var from = $"127.6.{Random.Shared.Next(0, 256)}.{Random.Shared.Next(1, 255)}";
        var caller = $"+3161{Random.Shared.Next(1_000_000, 10_000_000)}";
        var stored = new List<string>();
        foreach (var tenant in new[] { desk.TenantA, desk.TenantB })
        {
            var check = await services.GetRequiredService<WebCodes>().CheckAsync(tenant, "000000", from, Guid.NewGuid().ToString("N"), spend: false, none);
            Assert.Equal(WebCodeCheck.Wrong, check.Check);
            Assert.True(await services.GetRequiredService<SignInBudget>().TryReserveAsync(tenant, from, none));
            Assert.Equal("wrong_code", await desk.IdentifyAsync(tenant, "0000000", $"keyed-{Guid.NewGuid():N}", caller));

            string[] keys =
            [
                await WebCodes.AddressKeyAsync(desk.Hashes, tenant, from, none),
                await SignInBudget.AddressKeyAsync(desk.Hashes, tenant, from, none),
                await WrongCodeCounter.CallerKeyAsync(desk.Hashes, tenant, caller, none),
            ];
            string[] unkeyed = [Secrets.Hash(ClientAddress.Key(from)), Secrets.Hash(caller)];
            await using var db = desk.Databases.Open(tenant);
            var rows = await db.WrongCodeWindows.AsNoTracking().ToListAsync();
            foreach (var key in keys)
            {
                Assert.Equal(1, Assert.Single(rows, w => w.Key == key).Count);
            }

            Assert.DoesNotContain(rows, w => unkeyed.Any(hash => w.Key.EndsWith(hash, StringComparison.OrdinalIgnoreCase)));
            stored.AddRange(keys.Select(k => k[(k.IndexOf(':', StringComparison.Ordinal) + 1)..]));
        }

        // Per tenant and per purpose: one address's web-code and sign-in counts are not linkable either.
        Assert.Equal(stored.Count, stored.Distinct().Count());
    }

    [Fact]
    public async Task Without_the_key_ring_counter_hashes_come_from_a_key_of_the_process_never_the_unkeyed_hash()
    {
        var none = CancellationToken.None;
        // Another key ring (the desk's was lost): the tenant's stored pseudonym key no longer decrypts.
        var pseudonyms = ActivatorUtilities.CreateInstance<SubjectPseudonyms>(
            desk.Server.App.Services, new EphemeralDataProtectionProvider(), TimeProvider.System, NullLogger<SubjectPseudonyms>.Instance);
        var hashes = new IdentifierHashes(pseudonyms);
        Assert.Null(await hashes.KeyAsync(desk.TenantA, none)); // so start-up rehashes nothing under a passing key

        var hash = await hashes.HashAsync(desk.TenantA, "web", "127.6.0.9", none);
        Assert.Equal(hash, await hashes.HashAsync(desk.TenantA, "web", "127.6.0.9", none)); // counts still add up here
        Assert.NotEqual(await desk.Hashes.HashAsync(desk.TenantA, "web", "127.6.0.9", none), hash);
        Assert.NotEqual(Secrets.Hash("127.6.0.9"), hash, StringComparer.OrdinalIgnoreCase);
        // Another process's stand-in differs: a random key, not a fixed one anybody could recompute the hashes with.
        Assert.NotEqual(hash, await new IdentifierHashes(pseudonyms).HashAsync(desk.TenantA, "web", "127.6.0.9", none));
    }
}
