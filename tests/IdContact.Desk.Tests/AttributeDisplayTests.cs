using IdContact.Desk.Sessions;
using IdContact.Protocol.Tokens;

namespace IdContact.Desk.Tests;

/// <summary>How an agent's card names and shows a contact's data: the resident's names, a date of birth in the page's order.</summary>
public abstract partial class DeskStoreTests<TServer>
{
    [Fact]
    public async Task An_agent_reads_a_date_of_birth_in_the_pages_order_under_the_names_the_resident_saw()
    {
        using var agent = await DeskAgent.SignedInAsync(desk, desk.TenantA, "dob-reader", null);
        var (isoCall, oddCall) = ("call-dob-iso-" + Secrets.NewId()[..8], "call-dob-odd-" + Secrets.NewId()[..8]);
        await QueuedCallAsync(desk.TenantA, isoCall, BirthToken("Datum Dekker", "1980-04-01"));
        await QueuedCallAsync(desk.TenantA, oddCall, BirthToken("Vreemd Visser", "1980-02-30<b>"));
        var (iso, odd) = (await SessionOfCallAsync(isoCall), await SessionOfCallAsync(oddCall));

        var dutch = await agent.ReadAsync("/desk/contacts");
        Assert.Contains("<th scope=\"row\">Geboortedatum</th><td class=\"attr\">01-04-1980</td>", Card(dutch, iso), StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">Volledige naam</th><td class=\"attr\">Datum Dekker</td>", Card(dutch, iso), StringComparison.Ordinal);
        // Not a date (30 February, markup): shown as received, as text.
        Assert.Contains("<td class=\"attr\">1980-02-30&lt;b&gt;</td>", Card(dutch, odd), StringComparison.Ordinal);

        var english = await agent.ReadAsync("/desk/contacts?lang=en");
        Assert.Contains("<th scope=\"row\">Date of birth</th><td class=\"attr\">1 April 1980</td>", Card(english, iso), StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">Citizen service number (BSN)</th>", Card(english, iso), StringComparison.Ordinal);
        await agent.ReadAsync("/desk/contacts?lang=nl");
    }

    private string BirthToken(string fullname, string birthdate) => AuthResultToken.Issue(
        AuthResult.Succeeded(new Dictionary<string, string>
        {
            ["fullname"] = fullname,
            ["birthdate"] = birthdate,
            ["bsn"] = NewBsn(),
        }),
        desk.YiviKey, desk.DeskKey.PublicKey, DateTimeOffset.UtcNow);
}
