using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using IdContact.Desk.Sessions;
using IdContact.Desk.Tenants;
using Microsoft.EntityFrameworkCore;

namespace IdContact.Desk.Video;

/// <summary>
/// What the booking caps count by. A booking page asks for no identification, so without them one client could fill the
/// agenda and have the municipality's relay mail any address (docs/security.md, *Booking spam*).
/// </summary>
public static partial class BookingCaps
{
    /// <summary>
    /// The address as the cap counts it: trimmed, case ignored, and every spelling the mail path delivers to the same
    /// mailbox made one: the domain as the relay is given it (IDNA, so a full-width "ｅｘａｍｐｌｅ.nl" is example.nl),
    /// compatibility forms folded (NFKC), a quoted local part that needs no quotes bare ("a"@ is a@). A "+tag" or dots
    /// stay: whether they make another mailbox differs per provider, so stripping them could refuse a different resident.
    /// </summary>
    public static string NormaliseEmail(string email)
    {
        var address = email.Trim().Normalize(NormalizationForm.FormKC);
        var at = address.LastIndexOf('@');
        if (at <= 0)
        {
            return address.ToLowerInvariant();
        }

        var local = address[..at];
        if (local.Length > 2 && local[0] == '"' && local[^1] == '"' && DotAtom().IsMatch(local[1..^1]))
        {
            local = local[1..^1];
        }

        var domain = address[(at + 1)..];
        try
        {
            domain = Idn.GetAscii(domain);
        }
        catch (ArgumentException)
        {
            // Not a domain IDNA can write: counted as typed (the booking's own check refuses such addresses).
        }

        return (local + "@" + domain).ToLowerInvariant();
    }

    /// <summary>
    /// Keyed hash (<see cref="IdentifierHashes"/>) of the normalised address: its row also holds the address (to mail it)
    /// and both go together, but a hash column is kept no weaker than the rest (no reversing it by dictionary).
    /// </summary>
    public static async Task<string> EmailHashAsync(IdentifierHashes hashes, string tenant, string email, CancellationToken ct) =>
        await hashes.HashAsync(tenant, "email", NormaliseEmail(email), ct);

    /// <summary>Keyed hash of the client's rate-limit key (IdContact.Hosting.ClientAddress); the row goes after its day.</summary>
    public static async Task<string> AddressHashAsync(IdentifierHashes hashes, string tenant, string clientKey, CancellationToken ct) =>
        await hashes.HashAsync(tenant, "client", clientKey, ct);

    /// <summary>
    /// What versions before keyed hashes stored for a client (unkeyed SHA-256): a day's places taken before the upgrade
    /// still count on that day. Only looked up, never written; can go once no such day is left (rows live a day).
    /// </summary>
    public static string LegacyAddressHash(string clientKey) => Secrets.Hash("client\n" + clientKey);

    /// <summary>The day a booking counts for: the Amsterdam calendar day.</summary>
    public static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(DutchTime.Of(at));

    private static readonly IdnMapping Idn = new();

    /// <summary>RFC 5322's dot-atom: what a local part may be without quotes.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")]
    private static partial Regex DotAtom();
}
