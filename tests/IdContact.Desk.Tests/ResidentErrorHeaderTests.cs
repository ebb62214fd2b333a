using System.Net;
using IdContact.Desk.Phone;

namespace IdContact.Desk.Tests;

/// <summary>A resident's page that fails keeps its headers: the exception handler's 500 or 503 is never cached, sends no referrer and is never framed.</summary>
public abstract partial class DeskStoreTests<TServer>
{
    [Fact]
    public async Task A_resident_page_the_store_fails_still_is_never_cached_sends_no_referrer_and_is_never_framed()
    {
        var postgres = typeof(TServer) == typeof(PostgresDeskServer);
        var from = new IPAddress([127, 4, (byte)Random.Shared.Next(0, 256), (byte)Random.Shared.Next(1, 255)]);
        using var resident = DeskAgent.For(desk, desk.TenantA, from);
        var key = await WebCodes.AddressKeyAsync(desk.Hashes, desk.TenantA, from.ToString(), CancellationToken.None);

        // The code's try cannot be counted: on PostgreSQL a full disk (StoreUnavailable's 503), on SQLite a refused row (a 500).
        HttpResponseMessage failed;
        await using (await RefusingTrigger.OnAsync(desk.Databases, desk.TenantA, "WrongCodeWindows", "INSERT", $"NEW.\"Key\" = '{key}'", postgresError: "53100"))
        {
            failed = await PostFormAsync(resident, "/id", ("code", "000000"));
        }

        Assert.Equal(postgres ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.True(failed.Headers.CacheControl?.NoStore == true);
        Assert.Equal("no-referrer", Assert.Single(failed.Headers.GetValues("Referrer-Policy")));
        Assert.Contains("frame-ancestors 'none'", Assert.Single(failed.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }
}
