using System.Net;
using IdContact.Protocol.Keys;

namespace IdContact.Desk.Tests;

/// <summary>
/// A municipality changed its decryption key (Tenants:{tag}:Desk:PreviousDecryptionKeys lists the old one): results
/// auth plugins still encrypt to the old key, and results stored before the change, keep working; a key never
/// configured stays refused; the retired key's use is counted, so the operator knows when it can go.
/// </summary>
public abstract partial class DeskStoreTests<TServer>
{
    [Fact]
    public async Task After_a_decryption_key_change_results_to_the_retired_key_are_taken_shown_and_counted()
    {
        await QueuedCallAsync(desk.TenantD, "call-retired-key", desk.Token("Oude Sleutel", recipient: desk.TenantDRetiredKey), DeskServer.KeyD);

        await DeskAgent.CreateAsync(desk.Databases, desk.TenantD, "sleutelwissel");
        using var browser = DeskAgent.For(desk, desk.TenantD);
        Assert.Equal(HttpStatusCode.SeeOther, (await browser.SignInAsync("sleutelwissel")).StatusCode);
        Assert.Contains("Oude Sleutel", await (await browser.GetAsync("/desk/calls/call-retired-key")).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var (_, stranger, _) = await desk.StartPhoneAsync(desk.TenantD);
        Assert.Equal(HttpStatusCode.BadRequest, (await desk.PostTokenAsync(stranger, desk.Token("Vreemde Sleutel", recipient: PrivateKey.Generate(KeyType.Ec)))).StatusCode);

        var metrics = await desk.Server.Client.GetStringAsync("/metrics");
        foreach (var kind in new[] { "delivered", "stored" })
        {
            Assert.Matches($"idcontact_desk_retired_key_opens_total\\{{[^}}]*kind=\"{kind}\"[^}}]*tenant=\"{desk.TenantD}\"[^}}]*\\}} [1-9]", metrics);
        }
    }
}
