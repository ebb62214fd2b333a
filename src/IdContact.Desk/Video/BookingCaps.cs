using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using IdContact.Desk.Sessions;

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
    /// SHA-256 of the normalised address. Unkeyed: it lives only beside the address itself in the same row, and is
    /// cleared with it on cancelling, so it tells nothing the row does not.
    /// </summary>
    public static string EmailHash(string email) => Secrets.Hash("email\n" + NormaliseEmail(email));

    /// <summary>SHA-256 of the client's rate-limit key (IdContact.Hosting.ClientAddress); the row goes after its day.</summary>
    public static string AddressHash(string clientKey) => Secrets.Hash("client\n" + clientKey);

    /// <summary>The day a booking counts for: the Amsterdam calendar day.</summary>
    public static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(DutchTime.Of(at));

    private static readonly IdnMapping Idn = new();

    /// <summary>RFC 5322's dot-atom: what a local part may be without quotes.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")]
    private static partial Regex DotAtom();
}
